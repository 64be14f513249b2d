from setuptools import setup
from setuptools_rust import Binding, RustExtension

setup(
    rust_extensions=[
        RustExtension(
            "toolkit._accelerated",
            "crates/pyext/Cargo.toml",
            binding=Binding.PyO3,
            py_limited_api="auto",
        )
    ],
)
