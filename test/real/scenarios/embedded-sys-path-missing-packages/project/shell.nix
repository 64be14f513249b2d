# The project's dev shell: cargo, rustc and a Python 3.11 environment with the helpers the
# program imports. (`pkgs` is the stand-in in nix/pkgs.nix; ./enter-shell.sh CMD plays
# `nix-shell --run CMD`.)
with import ./nix/pkgs.nix;
let
  pythonEnv = python311.withPackages (ps: [ ps.report-helpers ]);
in
mkShell {
  packages = [ pythonEnv cargo rustc ];
}
