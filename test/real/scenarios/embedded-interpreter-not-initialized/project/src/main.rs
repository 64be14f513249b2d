use pyo3::prelude::*;

// Uses Python without Python::initialize() and without pyo3's auto-initialize.
fn main() -> PyResult<()> {
    Python::attach(|py| {
        let version: String = py.import("sys")?.getattr("version")?.extract()?;
        println!("embedded Python {version}");
        Ok(())
    })
}
