use pyo3::prelude::*;

fn main() -> PyResult<()> {
    pyo3::prepare_freethreaded_python();
    Python::with_gil(|py| {
        // `report_helpers` is installed in the project's virtualenv (.venv).
        let helpers = py.import_bound("report_helpers")?;
        let line: String = helpers.getattr("summary")?.call1((3,))?.extract()?;
        println!("{line}");
        Ok(())
    })
}
