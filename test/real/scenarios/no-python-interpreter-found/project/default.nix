# Builds the program as a Nix package. nixpkgs cannot be fetched here, so the machine's tools are
# passed in by path (basePath: the system's commands, which hold no Python), python3 is a
# stand-in for nixpkgs' (nix/python3.nix), and `mkDerivation` is a minimal stand-in that puts
# each nativeBuildInputs entry's bin/ on PATH and runs buildPhase and installPhase the way
# stdenv does.
{ toolchainBin, cargoHome, cargoTargetDir, basePath, python3 ? import ./nix/python3.nix }:
let
  mkDerivation = attrs: builtins.derivation ({
    system = builtins.currentSystem;
    builder = "/bin/sh";
    nativeBuildInputs = [ ];
    args = [ "-c" "set -e; export HOME=$TMPDIR; for input in $nativeBuildInputs; do PATH=$input/bin:$PATH; done; cp -r $src source && chmod -R u+w source && cd source; eval \"$buildPhase\"; eval \"$installPhase\"" ];
  } // attrs);
in
mkDerivation {
  name = "embedder-0.1.0";
  src = builtins.path { path = ./.; name = "embedder-src"; filter = path: type: !(builtins.elem (baseNameOf path) [ "result" "target" ]); };
  CARGO_HOME = cargoHome;
  CARGO_TARGET_DIR = cargoTargetDir;
  PATH = "${toolchainBin}:${basePath}";
  buildPhase = ''
    cargo build --offline
  '';
  installPhase = ''
    mkdir -p $out/bin
    cp $CARGO_TARGET_DIR/debug/embedder $out/bin/
  '';
}
