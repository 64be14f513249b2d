# The project's dev shell: cargo, rustc and the Python 3.11 the program embeds.
# (`pkgs` is the stand-in in nix/pkgs.nix; ./enter-shell.sh CMD plays `nix-shell --run CMD`.)
with import ./nix/pkgs.nix;
let
  py = python311;
in
mkShell {
  buildInputs = [ py cargo rustc ];
}
