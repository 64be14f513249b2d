use pyo3::prelude::*;

/// Greets from Rust.
#[pyfunction]
pub fn greet(name: &str) -> String {
    format!("hello, {name}")
}

/// Python's version string, asked from the interpreter.
pub fn python_version() -> PyResult<String> {
    Python::initialize();
    Python::attach(|py| Ok(py.version().to_string()))
}

#[pymodule]
fn greeter(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(greet, m)?)
}
