# The project's dev shell: cargo, rustc and Python 3.12.
# (`pkgs` is the stand-in in nix/pkgs.nix; ./enter-shell.sh CMD plays `nix-shell --run CMD`.)
with import ./nix/pkgs.nix;
let
  python = python312;
in
mkShell {
  nativeBuildInputs = [ cargo rustc python ];
}
