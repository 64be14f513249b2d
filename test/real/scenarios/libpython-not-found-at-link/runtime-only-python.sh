#!/bin/sh
# Makes "$WORK/python3.12-runtime": a Python 3.12 laid out like Debian's libpython3.12 without
# libpython3.12-dev, whose library directory holds only the runtime libpython3.12.so.1.0, not the
# libpython3.12.so link the linker looks for. It is pyenv's 3.12 run through a wrapper that
# shadows its sysconfig data with a copy whose LIBDIR is that directory, so every tool that asks
# the interpreter (pyo3's build script among them) is told the runtime-only layout.
set -eu
real="$PYENV_VERSIONS/3.12.1"
runtime="$WORK/python3.12-runtime"
mkdir -p "$runtime/bin" "$runtime/lib" "$runtime/sysconfig"
ln -sf "$real/lib/libpython3.12.so.1.0" "$runtime/lib/"
for data in "$real"/lib/python3.12/_sysconfigdata_*.py; do
	sed "s|'$real/lib'|'$runtime/lib'|g" "$data" > "$runtime/sysconfig/$(basename "$data")"
done
cat > "$runtime/bin/python3.12" <<WRAPPER
#!/bin/sh
PYTHONPATH="$runtime/sysconfig" exec "$real/bin/python3.12" "\$@"
WRAPPER
chmod +x "$runtime/bin/python3.12"
ln -sf python3.12 "$runtime/bin/python3"
