from ._validcore import validate
