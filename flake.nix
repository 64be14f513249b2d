{
  description = "pyo3-doctor: terminal troubleshooter for PyO3 / maturin / Nix builds";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs = { self, nixpkgs }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ];
      forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
      packageJson = builtins.fromJSON (builtins.readFile ./package.json);
    in
    {
      packages = forAllSystems (pkgs: {
        default = pkgs.buildNpmPackage {
          pname = packageJson.name;
          inherit (packageJson) version;
          src = pkgs.lib.cleanSource ./.;
          nodejs = pkgs.nodejs_20;
          # Every dependency is fetched from package-lock.json by its own integrity hash,
          # so there is no npmDepsHash to update when the lock file changes.
          npmDeps = pkgs.importNpmLock { npmRoot = ./.; };
          npmConfigHook = pkgs.importNpmLock.npmConfigHook;
          # `npm run build` compiles TypeScript and bundles the knowledge base; the tests need
          # cargo, Python and the network, so they run in the dev shell instead (npm test).
          doCheck = false;
          meta = {
            description = packageJson.description;
            license = pkgs.lib.licenses.mit;
            mainProgram = "pyo3-doctor";
          };
        };
      });

      apps = forAllSystems (pkgs: {
        default = {
          type = "app";
          program = "${self.packages.${pkgs.stdenv.hostPlatform.system}.default}/bin/pyo3-doctor";
        };
      });

      # Everything the test suites use: Node for the tool, the Rust and Python tools the
      # real-tool tests build with.
      devShells = forAllSystems (pkgs: {
        default = pkgs.mkShell {
          packages = [ pkgs.nodejs_20 pkgs.cargo pkgs.rustc pkgs.python312 pkgs.maturin pkgs.patchelf pkgs.hyperfine ];
        };
      });
    };
}
