use pyo3::prelude::*;

#[pyfunction]
fn greet() -> &'static str {
    "hello"
}

#[pymodule]
fn tiny_hello(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(greet, m)?)
}
