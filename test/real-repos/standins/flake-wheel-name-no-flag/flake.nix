{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs";
    crane.url = "github:ipetkov/crane";
  };

  outputs = { nixpkgs, crane, ... }:
    let
      system = "x86_64-linux";
      pkgs = nixpkgs.legacyPackages.${system};
      craneLib = crane.mkLib pkgs;
      src = craneLib.cleanCargoSource ./.;
      crate = craneLib.buildPackage {
        inherit src;
        buildInputs = [ pkgs.python312 ];
      };
      wheelFile = "tiny_hello-0.2.0-cp312-cp312-linux_x86_64.whl";
      wheel = crate.overrideAttrs (old: {
        nativeBuildInputs = old.nativeBuildInputs ++ [ pkgs.maturin ];
        buildPhase = old.buildPhase + ''
          maturin build --release --offline
        '';
        installPhase = old.installPhase + ''
          cp target/wheels/${wheelFile} $out/
        '';
      });
    in {
      packages.${system}.default = pkgs.python312Packages.buildPythonPackage {
        pname = "tiny-hello";
        version = "0.2.0";
        format = "wheel";
        src = "${wheel}/${wheelFile}";
      };
    };
}
