use pyo3::prelude::*;

#[test]
fn eval_from_python() {
    Python::attach(|py| {
        let module = PyModule::new(py, "probe").unwrap();
        assert_eq!(module.name().unwrap().to_string(), "probe");
    });
}
