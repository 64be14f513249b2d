use pyo3::prelude::*;

#[pymodule]
fn frame_runtime_64(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("id", frame_python::id())
}
