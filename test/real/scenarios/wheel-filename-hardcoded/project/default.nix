# Builds the wheel with maturin and keeps it as the output, for a Python package to install.
# nixpkgs cannot be fetched here, so the machine's tools are passed in by path.
{ maturin, toolchainBin, cargoHome, cargoTargetDir, python ? "/usr/bin/python3" }:

builtins.derivation {
  name = "greeter-wheel-0.1.0";
  system = builtins.currentSystem;
  builder = "/bin/sh";
  src = builtins.path { path = ./.; name = "greeter-src"; filter = path: type: !(builtins.elem (baseNameOf path) [ "dist" "result" "target" ".venv" ]); };
  inherit maturin python;
  CARGO_HOME = cargoHome;
  CARGO_TARGET_DIR = cargoTargetDir;
  PATH = "${toolchainBin}:/usr/bin:/bin";
  args = [ "-c" ''
    set -e
    export HOME=$TMPDIR
    cp -r $src source && chmod -R u+w source && cd source
    $maturin build --offline -i $python --out dist
    mkdir -p $out
    cp dist/greeter-0.1.0-cp311-cp311-linux_x86_64.whl $out/
  '' ];
}
