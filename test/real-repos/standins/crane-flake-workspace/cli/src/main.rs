fn main() { println!("{}", script_core::run("1 + 1")); }
