from ._internal import limit
