#!/usr/bin/env bash
# Installs the real tools the probe tests and the check benchmark run against:
# nix (Debian's nix-bin), patchelf and hyperfine. Idempotent: does nothing when all are present.
set -euo pipefail

missing=()
command -v nix >/dev/null 2>&1 || missing+=(nix-bin)
command -v patchelf >/dev/null 2>&1 || missing+=(patchelf)
command -v hyperfine >/dev/null 2>&1 || missing+=(hyperfine)

if [ "${#missing[@]}" -eq 0 ]; then
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "setup-tools: ${missing[*]} missing and not root; the tests that need them are skipped." >&2
	exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup-tools: installed ${missing[*]}"
