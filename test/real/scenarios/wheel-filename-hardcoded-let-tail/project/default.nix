# The founding story's shape: the dependencies are built in one derivation (crane's
# buildDepsOnly), the crate and its wheel in a second one, which copies the wheel out under a
# name whose tags are spelled once in a let binding; a Python package then installs that file.
# nixpkgs and crane cannot be fetched here, so the machine's tools are passed in by path and
# mkDerivation / buildPythonPackage are minimal stand-ins that run the phases as stdenv and
# nixpkgs' wheel hooks do.
{ maturin, toolchainBin, cargoHome, cargoTargetDir, python ? "/usr/bin/python3" }:
let
  cargoToml = builtins.fromTOML (builtins.readFile ./Cargo.toml);
  pname = cargoToml.package.name;
  version = cargoToml.package.version;
  wheel_tail = "cp311-cp311-linux_x86_64"; # change when python changes

  mkDerivation = attrs: builtins.derivation ({
    system = builtins.currentSystem;
    builder = "/bin/sh";
    args = [ "-c" "set -e; export HOME=$TMPDIR; cp -r $src source && chmod -R u+w source && cd source; eval \"$buildPhase\"; eval \"$installPhase\"" ];
  } // attrs);

  # Like nixpkgs' wheelUnpackPhase (cp "$src" into dist/) unless unpackPhase is set, then an install.
  buildPythonPackage = attrs: builtins.derivation ({
    system = builtins.currentSystem;
    builder = "/bin/sh";
    PATH = "/usr/bin:/bin";
    args = [ "-c" "set -e; cd $TMPDIR; if [ -n \"$unpackPhase\" ]; then eval \"$unpackPhase\"; else mkdir -p dist; cp \"$src\" dist/; fi; ${python} -m zipfile -e dist/*.whl $out" ];
  } // builtins.removeAttrs attrs [ "pname" "version" "format" ] // { name = "python-${attrs.pname}-${attrs.version}"; });

  common = {
    src = builtins.path { path = ./.; name = "${pname}-src"; filter = path: type: !(builtins.elem (baseNameOf path) [ "dist" "result" "target" ".venv" ]); };
    CARGO_HOME = cargoHome;
    CARGO_TARGET_DIR = cargoTargetDir;
    PATH = "${toolchainBin}:/usr/bin:/bin";
  };

  deps = mkDerivation (common // {
    name = "${pname}-deps-${version}";
    buildPhase = "cargo build --offline --release --lib";
    installPhase = "mkdir -p $out && touch $out/cargo-artifacts";
  });

  wheel = mkDerivation (common // {
    name = "${pname}-wheel-${version}";
    cargoArtifacts = deps;
    buildPhase = ''
      ${maturin} build --offline --release -i ${python} --out target/wheels
    '';
    installPhase = ''
      mkdir -p $out
      cp target/wheels/${pname}-${version}-${wheel_tail}.whl $out/
    '';
  });
in
buildPythonPackage {
  inherit pname version;
  format = "wheel";
  src = "${wheel}/${pname}-${version}-${wheel_tail}.whl";
}
