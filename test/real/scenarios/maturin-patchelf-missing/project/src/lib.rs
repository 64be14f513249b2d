use pyo3::prelude::*;

extern "C" {
    fn greet_answer() -> i32;
}

#[pyfunction]
fn answer() -> i32 {
    unsafe { greet_answer() }
}

#[pymodule]
#[pyo3(name = "answer")]
fn answer_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(answer, m)?)
}
