from .toks import split
