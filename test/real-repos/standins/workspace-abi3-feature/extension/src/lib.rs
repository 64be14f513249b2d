use pyo3::prelude::*;

#[pymodule]
fn abi3_through_workspace(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("limited", abi3_user::limited())
}
