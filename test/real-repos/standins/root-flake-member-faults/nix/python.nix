{ pkgs, python }:
let
  wheel = pkgs.stdenv.mkDerivation {
    pname = "lang-wheel";
    version = "1.4.0";
    src = ../.;
    cargoDeps = pkgs.rustPlatform.importCargoLock { lockFile = ../Cargo.lock; };
    nativeBuildInputs = [ pkgs.rustPlatform.cargoSetupHook pkgs.cargo pkgs.rustc pkgs.maturin python ];
    buildPhase = ''
      maturin build --release --offline -m py-binding/Cargo.toml
    '';
    installPhase = ''
      mkdir -p $out
      cp target/wheels/lang-1.4.0-cp312-cp312-linux_x86_64.whl $out/
    '';
  };
in
python.pkgs.buildPythonPackage {
  pname = "lang";
  version = "1.4.0";
  format = "wheel";
  src = "${wheel}/lang-1.4.0-cp312-cp312-linux_x86_64.whl";
}
