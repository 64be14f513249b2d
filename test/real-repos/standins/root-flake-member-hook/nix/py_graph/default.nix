{ buildPythonPackage, rustPlatform, craneLib, cargoVendorDir, src }:
buildPythonPackage {
  pname = "graphlib";
  version = "0.1.0";
  pyproject = true;
  inherit src cargoVendorDir;
  buildAndTestSubdir = "py_graph";
  nativeBuildInputs = [
    craneLib.configureCargoVendoredDepsHook
    rustPlatform.maturinBuildHook
  ];
}
