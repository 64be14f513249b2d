#!/bin/sh
# Launcher copied from the machine where Python lived under /opt; it keeps a PYTHONHOME the
# environment gives.
PYTHONHOME=${PYTHONHOME:-/opt/python3.11}
export PYTHONHOME
exec "${CARGO_TARGET_DIR:-target}/debug/embedder" "$@"
