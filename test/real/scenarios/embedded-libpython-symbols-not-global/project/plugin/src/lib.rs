use pyo3::prelude::*;

// The plugin embeds Python and uses a standard-library module implemented in C (_json lives in
// lib-dynload as a shared object of its own).
#[no_mangle]
pub extern "C" fn plugin_run() -> i32 {
    Python::initialize();
    Python::attach(|py| {
        let encoded = py
            .import("_json")
            .and_then(|json| json.getattr("encode_basestring_ascii")?.call1(("plugin ok",)));
        match encoded {
            Ok(text) => {
                println!("{text}");
                0
            }
            Err(err) => {
                eprintln!("plugin: embedded Python failed: {err:?}");
                1
            }
        }
    })
}
