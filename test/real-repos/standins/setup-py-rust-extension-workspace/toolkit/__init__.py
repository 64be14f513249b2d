from . import _accelerated
