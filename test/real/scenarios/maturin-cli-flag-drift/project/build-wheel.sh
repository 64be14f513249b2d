#!/bin/sh
# Written for maturin 0.12.
set -e
"$MATURIN" build --release --no-sdist --cargo-extra-args="--no-default-features" -i /usr/bin/python3 --out dist
