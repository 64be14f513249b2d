use pyo3::prelude::*;

#[pyfunction]
fn run(source: &str) -> usize {
    script_core::run(source)
}

#[pymodule]
fn script_lang(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(run, m)?)
}
