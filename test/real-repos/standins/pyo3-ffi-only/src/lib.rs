use core::ptr::null_mut;
use pyo3_ffi::*;

static mut MODULE_DEF: PyModuleDef = PyModuleDef {
    m_base: PyModuleDef_HEAD_INIT,
    m_name: c"fastcodec".as_ptr(),
    m_doc: null_mut(),
    m_size: 0,
    m_methods: null_mut(),
    m_slots: null_mut(),
    m_traverse: None,
    m_clear: None,
    m_free: None,
};

#[allow(non_snake_case)]
#[no_mangle]
pub unsafe extern "C" fn PyInit_fastcodec() -> *mut PyObject {
    PyModule_Create(core::ptr::addr_of_mut!(MODULE_DEF))
}
