use pyo3::prelude::*;

#[pyfunction]
fn tally(text: &str) -> usize {
    text.split_whitespace().count()
}

#[pymodule]
fn word_tally(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(tally, m)?)
}
