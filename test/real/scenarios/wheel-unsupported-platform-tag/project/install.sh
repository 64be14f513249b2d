#!/bin/sh
# Builds the wheel and installs it into the project's virtualenv.
set -e
"$MATURIN" build -i "$PYENV_VERSIONS/3.12.1/bin/python3.12" --out dist
.venv/bin/pip install --no-index --force-reinstall dist/*.whl
.venv/bin/python -c 'import greeter; print(greeter.greet("world"))'
