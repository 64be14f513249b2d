{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs = { self, nixpkgs }:
    let
      pkgs = nixpkgs.legacyPackages.x86_64-linux;
      python = pkgs.python313;
    in {
      packages.x86_64-linux.default = python.pkgs.buildPythonPackage {
        pname = "frame";
        version = "0.9.0";
        pyproject = true;
        src = ./.;
        cargoDeps = pkgs.rustPlatform.importCargoLock {
          lockFile = ./Cargo.lock;
          outputHashes = {
            "pyo3-0.24.2" = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
          };
        };
        maturinBuildFlags = [ "-m" "py-frame/runtime/rt-32/Cargo.toml" ];
        nativeBuildInputs = [ pkgs.rustPlatform.cargoSetupHook pkgs.rustPlatform.maturinBuildHook ];
      };
    };
}
