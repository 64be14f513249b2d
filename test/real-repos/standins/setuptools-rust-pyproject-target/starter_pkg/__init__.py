from ._native_core import double
