pub fn listen_port() -> u16 { 8080 }
