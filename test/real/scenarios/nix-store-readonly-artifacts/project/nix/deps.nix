# First step of a two-step build: compile the dependencies once and keep target/ as the output,
# for the second step to start from. nixpkgs cannot be fetched here, so cargo is used by path.
{ toolchainBin, cargoHome, python ? "/usr/bin/python3" }:

builtins.derivation {
  name = "embedder-deps-0.1.0";
  system = builtins.currentSystem;
  builder = "/bin/sh";
  src = builtins.path { path = ../.; name = "embedder-src"; filter = path: type: !(builtins.elem (baseNameOf path) [ "target" "deps" "nix" ]); };
  CARGO_HOME = cargoHome;
  PYO3_PYTHON = python;
  PATH = "${toolchainBin}:/usr/bin:/bin";
  args = [ "-c" ''
    set -e
    export HOME=$TMPDIR
    cp -r $src source && chmod -R u+w source && cd source
    cargo build --offline
    mkdir -p $out
    cp -r target $out/target
  '' ];
}
