use pyo3::prelude::*;

fn main() -> PyResult<()> {
    Python::initialize();
    Python::attach(|py| {
        // `report_helpers` is in the dev shell's python311.withPackages environment (shell.nix).
        let helpers = py.import("report_helpers")?;
        let line: String = helpers.getattr("summary")?.call1((3,))?.extract()?;
        println!("{line}");
        Ok(())
    })
}
