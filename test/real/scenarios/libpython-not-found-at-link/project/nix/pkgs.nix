# A stand-in for the few nixpkgs attributes shell.nix uses, since nixpkgs cannot be fetched on
# this machine: each package is the machine's own installation (its prefix as outPath; Python
# 3.12 is pyenv's, a complete shared build), and mkShell turns its attributes into a
# derivation, as nixpkgs' mkShell does.
let
  toolchainBin = builtins.getEnv "RUST_TOOLCHAIN_BIN";
  installed = prefix: extra: { outPath = prefix; } // extra;
in
{
  mkShell = attrs: builtins.derivation ({
    name = "nix-shell";
    system = builtins.currentSystem;
    builder = "/bin/sh";
    args = [ "-c" "echo > $out" ];
  } // attrs);
  python312 = installed "${builtins.getEnv "PYENV_VERSIONS"}/3.12.1" { interpreter = "${builtins.getEnv "PYENV_VERSIONS"}/3.12.1/bin/python3.12"; };
  cargo = installed (dirOf toolchainBin) { };
  rustc = installed (dirOf toolchainBin) { };
}
