use pyo3::prelude::*;

#[pymodule]
fn other_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("answer", generic_lib::answer())
}
