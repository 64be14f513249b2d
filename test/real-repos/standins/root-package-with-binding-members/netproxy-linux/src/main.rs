fn main() { println!("{}", netproxy::listen_port()); }
