pub fn id() -> u32 { 0 }
