# The project's dev shell: cargo, rustc and Python 3.11, with the variable a wheel-build recipe
# needs exported for everything run in the shell.
# (`pkgs` is the stand-in in nix/pkgs.nix; enter-shell.sh CMD plays `nix-shell --run CMD`.)
with import ./nix/pkgs.nix;
mkShell {
  buildInputs = [ python311 cargo rustc ];
  PYO3_PYTHON = "/usr/bin/python3";
  PYO3_BUILD_EXTENSION_MODULE = "1";
}
