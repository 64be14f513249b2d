# A stand-in for the few nixpkgs attributes shell.nix uses, since nixpkgs cannot be fetched on
# this machine: each package is the machine's own installation (its prefix as outPath), and
# mkShell turns its attributes into a derivation, as nixpkgs' mkShell does.
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
  python311 = installed "/usr" { interpreter = "/usr/bin/python3.11"; sitePackages = "lib/python3.11/site-packages"; };
  cargo = installed (dirOf toolchainBin) { };
  rustc = installed (dirOf toolchainBin) { };
}
