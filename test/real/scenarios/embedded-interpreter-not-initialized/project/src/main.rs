use pyo3::prelude::*;

// Uses Python without pyo3::prepare_freethreaded_python() and without pyo3's auto-initialize.
fn main() -> PyResult<()> {
    Python::with_gil(|py| {
        let version: String = py.import_bound("sys")?.getattr("version")?.extract()?;
        println!("embedded Python {version}");
        Ok(())
    })
}
