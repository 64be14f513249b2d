use pyo3::prelude::*;

#[pyfunction]
fn greet(name: &str) -> String {
    format!("hello, {name}")
}

#[pymodule]
fn greeter(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(greet, m)?)
}
