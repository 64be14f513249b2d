use pyo3::prelude::*;

#[pyfunction]
fn eval(source: &str) -> String {
    lang_core::eval(source)
}

#[pymodule]
fn lang(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(eval, m)?)
}
