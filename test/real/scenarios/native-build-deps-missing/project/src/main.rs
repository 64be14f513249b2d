use pyo3::prelude::*;

fn main() -> PyResult<()> {
    pyo3::prepare_freethreaded_python();
    // Xlib is linked in; the display itself is not opened.
    let xlib_open_display = x11::xlib::XOpenDisplay as usize;
    Python::with_gil(|py| {
        let version: String = py.import_bound("sys")?.getattr("version")?.extract()?;
        println!("embedded Python {version}, XOpenDisplay at {xlib_open_display:#x}");
        Ok(())
    })
}
