pub fn split(text: &str) -> Vec<String> { text.split_whitespace().map(str::to_owned).collect() }
