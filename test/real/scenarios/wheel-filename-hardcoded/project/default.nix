# Builds the wheel with maturin and keeps it as the output, for a Python package to install:
# the shape of the two-step templates that name the wheel file by hand. nixpkgs cannot be
# fetched here, so the machine's tools are passed in by path and `mkDerivation` is a minimal
# stand-in that runs buildPhase and installPhase the way stdenv does.
{ maturin, toolchainBin, cargoHome, cargoTargetDir, python ? "/usr/bin/python3" }:
let
  mkDerivation = attrs: builtins.derivation ({
    system = builtins.currentSystem;
    builder = "/bin/sh";
    args = [ "-c" "set -e; export HOME=$TMPDIR; cp -r $src source && chmod -R u+w source && cd source; eval \"$buildPhase\"; eval \"$installPhase\"" ];
  } // attrs);
in
mkDerivation {
  name = "greeter-wheel-0.1.0";
  src = builtins.path { path = ./.; name = "greeter-src"; filter = path: type: !(builtins.elem (baseNameOf path) [ "dist" "result" "target" ".venv" ]); };
  CARGO_HOME = cargoHome;
  CARGO_TARGET_DIR = cargoTargetDir;
  PATH = "${toolchainBin}:/usr/bin:/bin";
  buildPhase = ''
    ${maturin} build --offline -i ${python} --out dist
  '';
  installPhase = ''
    mkdir -p $out
    cp dist/greeter-0.1.0-cp311-cp311-linux_x86_64.whl $out/
  '';
}
