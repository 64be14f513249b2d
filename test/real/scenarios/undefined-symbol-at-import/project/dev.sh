#!/bin/sh
# Builds the extension with pyenv's Python 3.12, installs it under the plain module name and
# runs the smoke test with pyenv's Python 3.8.
set -e
"$MATURIN" build -i "$PYENV_VERSIONS/3.12.1/bin/python3.12" --out dist
rm -rf python && mkdir python
/usr/bin/python3 -m zipfile -e dist/greeter-*.whl python/
mv python/greeter/greeter.cpython-*.so python/greeter/greeter.so
cd python && "$PYENV_VERSIONS/3.8.18/bin/python3.8" -c 'import greeter; print(greeter.greet("world"))'
