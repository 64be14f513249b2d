use pyo3::prelude::*;

#[pymodule]
fn _accelerated(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<toolkit_circuit::Gate>()?;
    m.add("rank", toolkit_linalg::rank())
}
