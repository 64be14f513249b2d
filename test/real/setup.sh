#!/usr/bin/env bash
# Installs the real tools the real-tool scenarios run against, under a cache directory that is
# never committed (.real-cache/ by default). Idempotent: a second run only checks.
#
#   nix-bin, patchelf,     Debian packages (real Nix store semantics; maturin's library bundling;
#   direnv, jq, pypy3      .envrc scenarios; reading dev-shell attributes; a PyPy)
#   maturin                from PyPI, in a venv of its own
#   pyo3 crates            fetched by cargo once per pyo3 version the scenarios pin
#   PATH variants          directories of links to /usr/bin without python, cc or patchelf
#   pyo3 config files      for Python versions this machine does not have
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
cache="${REAL_CACHE:-$repo/.real-cache}"
maturin_version="${MATURIN_VERSION:-1.16.0}"
mkdir -p "$cache"

say() { echo "setup: $*"; }

# --- Debian packages -------------------------------------------------------------------------
missing=()
command -v nix-build >/dev/null 2>&1 || missing+=(nix-bin)
command -v patchelf >/dev/null 2>&1 || missing+=(patchelf)
command -v direnv >/dev/null 2>&1 || missing+=(direnv)
command -v jq >/dev/null 2>&1 || missing+=(jq)
command -v pypy3 >/dev/null 2>&1 || missing+=(pypy3)
if [ "${#missing[@]}" -gt 0 ]; then
	if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
		export DEBIAN_FRONTEND=noninteractive
		if [ ! -e "$cache/.apt-updated" ]; then
			apt-get update -qq && touch "$cache/.apt-updated"
		fi
		apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
		say "installed ${missing[*]}"
	else
		say "${missing[*]} missing and cannot be installed here; the scenarios that need them are skipped"
	fi
fi

# --- maturin from PyPI in its own venv ---------------------------------------------------------
venv="$cache/venv"
if [ ! -x "$venv/bin/maturin" ] || [ "$("$venv/bin/maturin" --version 2>/dev/null)" != "maturin $maturin_version" ]; then
	rm -rf "$venv"
	/usr/bin/python3 -m venv "$venv"
	"$venv/bin/python" -m pip install -q --disable-pip-version-check "maturin==$maturin_version"
	say "maturin $maturin_version installed in $venv"
fi

# --- pyo3 crates, one lock per pinned version ----------------------------------------------------
# Every scenario copies the lock of its pyo3 version, so dependencies resolve to the same crates
# and a shared target directory compiles them once per configuration. The versions are those the
# scenarios name (`pyo3` and `variants[].pyo3`): an exact pin such as 0.22.6, or a series such as
# 0.30, which resolves to the newest 0.30.x on crates.io the first time and stays locked after.
versions=$(node -e '
const fs = require("fs"), dir = process.argv[1];
const names = new Set();
for (const name of fs.readdirSync(dir)) {
	const file = `${dir}/${name}/scenario.json`;
	if (!fs.existsSync(file)) continue;
	const scenario = JSON.parse(fs.readFileSync(file, "utf8"));
	for (const version of [scenario.pyo3, ...(scenario.variants ?? []).map(variant => variant.pyo3)]) if (version) names.add(version);
}
console.log([...names].sort().join(" "));
' "$repo/test/real/scenarios")
for version in $versions; do
	fetch="$cache/fetch/pyo3-$version"
	if [ ! -e "$fetch/.fetched" ]; then
		mkdir -p "$fetch/src"
		case "$version" in
		*.*.*) requirement="=$version" ;;
		*) requirement="~$version" ;;
		esac
		printf '[package]\nname = "fetch"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\npyo3 = "%s"\n' "$requirement" >"$fetch/Cargo.toml"
		: >"$fetch/src/lib.rs"
		(cd "$fetch" && cargo fetch -q)
		touch "$fetch/.fetched"
		say "pyo3 $version fetched ($(grep -A1 '^name = "pyo3"$' "$fetch/Cargo.lock" | sed -n 's/^version = "\(.*\)"/\1/p'))"
	fi
done

# --- PATH variants --------------------------------------------------------------------------------
# A PATH like the one inside a Nix derivation or a slim container: everything in /usr/bin but one
# kind of tool. cargo and rustc are linked in from wherever they live.
make_path_variant() {
	local name="$1" exclude="$2" dir="$cache/paths/$1"
	[ -e "$dir/.done" ] && return 0
	rm -rf "$dir" && mkdir -p "$dir"
	for tool in /usr/bin/* /bin/*; do
		local base
		base="$(basename "$tool")"
		[[ "$base" =~ $exclude ]] && continue
		[ -e "$dir/$base" ] || ln -s "$tool" "$dir/$base"
	done
	for tool in cargo rustc rustdoc; do
		ln -sf "$(command -v "$tool")" "$dir/$tool"
	done
	touch "$dir/.done"
}
make_path_variant no-python '^(python|pip|pydoc|idle|2to3)'
make_path_variant no-cc '^(cc|c\+\+|gcc|g\+\+|cpp|clang|x86_64-linux-gnu-(gcc|g\+\+|cpp))($|-)'
make_path_variant no-patchelf '^patchelf$'

# --- Pythons --------------------------------------------------------------------------------------
# The scenarios use pyenv's Pythons and Debian's. A version this machine lacks is described by a
# PYO3_CONFIG_FILE, which real pyo3 reads instead of running an interpreter.
mkdir -p "$cache/pyo3-config"
cat >"$cache/pyo3-config/cpython-3.14.txt" <<'EOF'
implementation=CPython
version=3.14
shared=true
abi3=false
lib_name=python3.14
lib_dir=/opt/python3.14/lib
executable=/opt/python3.14/bin/python3.14
pointer_width=64
build_flags=
suppress_build_script_link_lines=false
EOF

# pyo3 0.30's maximum is 3.15, and from 0.28 the version right after the maximum (3.16) only
# warns, so the first one it refuses is 3.17.
sed -e 's/3\.14/3.17/g' "$cache/pyo3-config/cpython-3.14.txt" >"$cache/pyo3-config/cpython-3.17.txt"

for python in "$HOME/.pyenv/versions/3.6.15/bin/python3.6" "$HOME/.pyenv/versions/3.12.1/bin/python3.12" \
	"$HOME/.pyenv/versions/3.13.0/bin/python3.13" /usr/bin/python3; do
	[ -x "$python" ] || say "missing $python: the scenarios that need it are skipped"
done

say "ready in $cache"
