#!/bin/sh
# Builds the extension in place and runs the smoke test.
set -e
"$MATURIN" build -i "$PYENV_VERSIONS/3.12.1/bin/python3.12" --out dist
rm -rf python && mkdir python
/usr/bin/python3 -m zipfile -e dist/greeter-*.whl python/
ls python/greeter
cd python && /usr/bin/python3 -c 'import greeter; print(greeter.greet("world"))'
