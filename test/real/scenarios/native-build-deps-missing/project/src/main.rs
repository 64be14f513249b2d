use pyo3::prelude::*;

fn main() -> PyResult<()> {
    Python::initialize();
    // Xlib is linked in; the display itself is not opened.
    let xlib_open_display = x11::xlib::XOpenDisplay as usize;
    Python::attach(|py| {
        let version: String = py.import("sys")?.getattr("version")?.extract()?;
        println!("embedded Python {version}, XOpenDisplay at {xlib_open_display:#x}");
        Ok(())
    })
}
