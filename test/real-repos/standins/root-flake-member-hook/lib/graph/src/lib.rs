pub fn size() -> usize { store::len() }
