use pyo3::prelude::*;

#[pyfunction]
fn add(a: i64, b: i64) -> i64 {
    a + b
}

#[pymodule]
fn adder(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(add, m)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_through_python() {
        Python::initialize();
        Python::attach(|py| {
            let module = PyModule::new(py, "adder").unwrap();
            adder(&module).unwrap();
            let sum: i64 = module.getattr("add").unwrap().call1((2, 3)).unwrap().extract().unwrap();
            assert_eq!(sum, 5);
        });
    }
}
