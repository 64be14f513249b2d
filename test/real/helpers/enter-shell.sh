#!/bin/sh
# Runs a command inside the dev shell of shell.nix, as `nix-shell shell.nix --run` would: each
# attribute of the shell's derivation, read from shell.nix by real Nix, becomes an environment
# variable (lists joined by spaces), the bin/ of each input goes first on PATH, the lib/ of
# each buildInputs entry goes on LIBRARY_PATH and LD_LIBRARY_PATH (standing for the -L and
# rpath flags nixpkgs' compiler and linker wrappers add for buildInputs), and shellHook
# runs. Like nix-shell, it first builds the derivations the shell uses. nix-shell itself needs
# nixpkgs' stdenv, which cannot be fetched here. Run it in the project folder; the scenarios
# call it as "$ENTER_SHELL" (set by test/real/run.mjs).
set -eu
inputs_path=""
library_path=""
shell_nix="$PWD/shell.nix"
attr() {
	nix-instantiate --eval --strict --json -A "$1" "$shell_nix" 2>/dev/null
}
shell_drv=$(nix-instantiate "$shell_nix" 2>/dev/null)
input_drvs=$(nix-store -q --references "$shell_drv" | grep '\.drv$' || true)
if [ -n "$input_drvs" ] && ! built=$(nix-store --option sandbox false -r $input_drvs 2>&1); then
	echo "$built" >&2
	exit 1
fi
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
	if [ "$name" = buildInputs ]; then
		for input in $value; do
			if [ -d "$input/lib" ]; then
				library_path="$library_path$input/lib:"
			fi
		done
	fi
done
if [ -n "$library_path" ]; then
	export LIBRARY_PATH="$library_path${LIBRARY_PATH:-}" LD_LIBRARY_PATH="$library_path${LD_LIBRARY_PATH:-}"
fi
export PATH="$inputs_path$PATH" IN_NIX_SHELL=impure
eval "${shellHook:-}"
exec "$@"
