pub fn version() -> &'static str { "51.0.0" }
