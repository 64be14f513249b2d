use pyo3::prelude::*;

#[pymodule]
fn graphlib(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("size", graph::size())
}
