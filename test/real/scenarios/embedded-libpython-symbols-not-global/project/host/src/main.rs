use std::ffi::CString;

// Loads a plugin the way most plugin systems do: dlopen with RTLD_LOCAL, so the plugin's
// dependencies (libpython among them) stay private to it.
fn main() {
    let path = std::env::args().nth(1).expect("usage: host PLUGIN.so");
    let path = CString::new(path).expect("plugin path without NUL");
    let status = unsafe {
        let handle = libc::dlopen(path.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL);
        assert!(!handle.is_null(), "dlopen failed");
        let symbol = libc::dlsym(handle, c"plugin_run".as_ptr());
        assert!(!symbol.is_null(), "plugin_run not found");
        let run: extern "C" fn() -> i32 = std::mem::transmute(symbol);
        run()
    };
    std::process::exit(status);
}
