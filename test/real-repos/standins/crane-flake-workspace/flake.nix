{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    crane.url = "github:ipetkov/crane";
  };

  outputs = { self, nixpkgs, crane }:
    let
      system = "x86_64-linux";
      pkgs = nixpkgs.legacyPackages.${system};
      craneLib = crane.mkLib pkgs;
      src = craneLib.cleanCargoSource ./.;
      common = {
        inherit src;
        strictDeps = true;
        nativeBuildInputs = [ pkgs.python3 ];
      };
      cargoArtifacts = craneLib.buildDepsOnly common;
      member = name: craneLib.buildPackage (common // {
        inherit cargoArtifacts;
        pname = name;
        cargoExtraArgs = "-p ${name}";
      });
    in {
      packages.${system} = {
        default = member "script-cli";
        script-py = member "script-py";
      };
      devShells.${system}.default = craneLib.devShell {
        packages = [ pkgs.maturin pkgs.python3 ];
      };
    };
}
