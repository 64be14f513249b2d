#!/bin/sh
# Imports the package from the source tree with the project's venv, as the tests do.
cd python && ../.venv/bin/python -c 'import greeter; print(greeter.greet("world"))'
