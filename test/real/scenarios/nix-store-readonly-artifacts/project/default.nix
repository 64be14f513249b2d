# Second step of a two-step build: start from the first step's target/ (a read-only copy out of
# the Nix store) and build the crate on top of it. nixpkgs cannot be fetched here, so
# `mkDerivation` is a minimal stand-in that runs buildPhase the way stdenv does; rebuild.sh runs
# the same buildPhase as an unprivileged Nix build user would.
{ deps ? "deps" }:
let
  mkDerivation = attrs: builtins.derivation ({
    system = builtins.currentSystem;
    builder = "/bin/sh";
    args = [ "-c" "set -e; eval \"$buildPhase\"; mkdir -p $out" ];
  } // attrs);
in
mkDerivation {
  name = "embedder-0.1.0";
  cargoArtifacts = deps;
  buildPhase = ''
    cp -r ${deps}/target target
    cargo build --offline
  '';
}
