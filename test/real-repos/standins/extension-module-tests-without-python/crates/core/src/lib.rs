use pyo3::prelude::*;

fn parse_limit(text: &str) -> Option<usize> {
    text.trim().parse().ok()
}

#[pyfunction]
fn limit(text: &str) -> Option<usize> {
    parse_limit(text)
}

#[pymodule]
fn _internal(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(limit, m)?)?;
    m.add("version", dfpy_util::version())
}

#[cfg(test)]
mod tests {
    use super::parse_limit;

    #[test]
    fn parses_a_limit() {
        assert_eq!(parse_limit(" 10 "), Some(10));
    }
}
