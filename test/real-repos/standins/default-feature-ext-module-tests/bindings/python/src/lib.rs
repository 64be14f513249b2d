use pyo3::prelude::*;

#[pyfunction]
fn split(text: &str) -> Vec<String> {
    tokcore::split(text)
}

#[pymodule]
pub fn toks(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(split, m)?)
}

#[cfg(test)]
mod tests {
    use pyo3::prelude::*;

    #[test]
    fn split_through_python() {
        Python::attach(|py| {
            let list = pyo3::types::PyList::new(py, super::split("a b")).unwrap();
            assert_eq!(list.len(), 2);
        });
    }
}
