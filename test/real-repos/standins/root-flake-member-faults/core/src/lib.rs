pub fn eval(source: &str) -> String { source.trim().to_owned() }
