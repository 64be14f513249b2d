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
      cargoVendorDir = craneLib.vendorCargoDeps { inherit src; };
    in {
      packages.${system}.default = pkgs.python3.pkgs.callPackage ./nix/py_graph {
        inherit src craneLib cargoVendorDir;
      };
    };
}
