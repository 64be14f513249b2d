use pyo3::prelude::*;

#[pyfunction]
fn validate(value: i64) -> PyResult<i64> {
    Ok(value)
}

#[pymodule(gil_used = false)]
fn _validcore(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(validate, m)?)
}
