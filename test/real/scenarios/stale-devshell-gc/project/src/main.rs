use pyo3::prelude::*;

fn main() -> PyResult<()> {
    Python::initialize();
    Python::attach(|py| {
        let sys = py.import("sys")?;
        let version: String = sys.getattr("version")?.extract()?;
        println!("embedded Python {version}");
        Ok(())
    })
}
