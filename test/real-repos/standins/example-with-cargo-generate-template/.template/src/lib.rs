use pyo3::prelude::*;

#[pymodule]
fn {{crate_name}}(_m: &Bound<'_, PyModule>) -> PyResult<()> {
    Ok(())
}
