pub fn run(source: &str) -> usize { source.len() }
