# Evaluates a flake's outputs against a stub nixpkgs: every attribute the flake reads must exist
# there and every string interpolation must work; nothing is built or fetched.
flakePath:
let
  flake = import flakePath;
  lib = {
    genAttrs = names: f: builtins.listToAttrs (map (name: { inherit name; value = f name; }) names);
    optionals = condition: list: if condition then list else [ ];
    cleanSource = path: "source";
    licenses.mit = "mit";
  };
  drv = name: { outPath = "/nix/store/stub-${name}"; inherit name; };
  python = drv "python3.12" // {
    pkgs.buildPythonPackage = attrs: attrs;
    withPackages = f: drv "python3.12-env" // { packages = f { numpy = drv "numpy"; }; };
    sitePackages = "lib/python3.12/site-packages";
    interpreter = "/nix/store/stub-python3.12/bin/python3.12";
  };
  pkgs = {
    inherit lib;
    python312 = python;
    python313 = python;
    python311 = python;
    rustPlatform = {
      importCargoLock = attrs: drv "vendor";
      cargoSetupHook = drv "cargo-setup-hook";
      maturinBuildHook = drv "maturin-build-hook";
      buildRustPackage = attrs: attrs;
    };
    stdenv.hostPlatform = { isDarwin = false; system = "x86_64-linux"; };
    libiconv = drv "libiconv";
    makeWrapper = drv "make-wrapper";
    mkShell = attrs: attrs;
    buildNpmPackage = attrs: attrs // drv "npm-package";
    importNpmLock = { __functor = self: attrs: drv "npm-deps"; npmConfigHook = drv "npm-config-hook"; };
    nodejs_20 = drv "nodejs";
  } // lib.genAttrs [ "cargo" "rustc" "rustfmt" "clippy" "maturin" "patchelf" "hyperfine" ] drv;
  outputs = flake.outputs { self = outputs; nixpkgs = { inherit lib; legacyPackages = lib.genAttrs [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ] (system: pkgs); }; };
in
builtins.deepSeq outputs (builtins.attrNames outputs.packages.x86_64-linux)
