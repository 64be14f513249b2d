use pyo3::prelude::*;

#[pyclass]
pub struct Gate {
    #[pyo3(get)]
    pub qubits: u32,
}
