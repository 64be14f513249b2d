use pyo3::ffi::{PyModuleDef, PyModuleDef_HEAD_INIT, PyModule_Create, PyObject};

static mut MODULE: PyModuleDef = PyModuleDef {
    m_base: PyModuleDef_HEAD_INIT,
    m_name: c"links_libpython".as_ptr(),
    m_doc: std::ptr::null(),
    m_size: -1,
    m_methods: std::ptr::null_mut(),
    m_slots: std::ptr::null_mut(),
    m_traverse: None,
    m_clear: None,
    m_free: None,
};

#[no_mangle]
pub unsafe extern "C" fn PyInit_links_libpython() -> *mut PyObject {
    PyModule_Create(std::ptr::addr_of_mut!(MODULE))
}
