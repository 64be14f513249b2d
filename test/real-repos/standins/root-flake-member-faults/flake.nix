{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs = { self, nixpkgs }:
    let
      pkgs = nixpkgs.legacyPackages.x86_64-linux;
    in {
      packages.x86_64-linux.python = import ./nix/python.nix { inherit pkgs; python = pkgs.python312; };
      devShells.x86_64-linux.default = pkgs.mkShell { packages = [ pkgs.cargo pkgs.rustc pkgs.maturin ]; };
    };
}
