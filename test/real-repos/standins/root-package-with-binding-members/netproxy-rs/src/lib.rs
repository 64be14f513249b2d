use pyo3::prelude::*;

#[pymodule]
mod netproxy_rs {
    use pyo3::prelude::*;

    #[pyfunction]
    fn listen_port() -> u16 {
        netproxy::listen_port()
    }
}
