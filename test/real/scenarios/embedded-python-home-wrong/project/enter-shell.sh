#!/bin/sh
# Runs a command inside the dev shell of shell.nix, as `nix-shell shell.nix --run` would: each
# attribute of the shell's derivation, read from shell.nix by real Nix, becomes an environment
# variable (lists joined by spaces), the bin/ of each input goes first on PATH, and shellHook
# runs. nix-shell itself needs nixpkgs' stdenv, which cannot be fetched here.
set -eu
inputs_path=""
shell_nix="$(cd "$(dirname "$0")" && pwd)/shell.nix"
attr() {
	nix-instantiate --eval --strict --json -A "$1" "$shell_nix" 2>/dev/null
}
names=$(nix-instantiate --eval --strict --json -E "builtins.attrNames (import $shell_nix).drvAttrs" 2>/dev/null | jq -r '.[]')
for name in $names; do
	case "$name" in
	name | system | builder | args | PATH) continue ;;
	esac
	value=$(attr "$name" | jq -r 'if type == "array" then join(" ") else tostring end')
	export "$name=$value"
	case "$name" in
	buildInputs | nativeBuildInputs | packages)
		for input in $value; do
			inputs_path="$inputs_path$input/bin:"
		done
		;;
	esac
done
export PATH="$inputs_path$PATH" IN_NIX_SHELL=impure
eval "${shellHook:-}"
exec "$@"
