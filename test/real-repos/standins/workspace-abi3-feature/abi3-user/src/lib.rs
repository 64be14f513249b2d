pub fn limited() -> bool { true }
