#!/bin/sh
# Runs the buildPhase of default.nix here, as the Nix builder would run it.
set -e
phase=$(nix-instantiate --eval --strict --json -A buildPhase default.nix | python3 -c 'import json, sys; print(json.load(sys.stdin))')
sh -ec "$phase"
