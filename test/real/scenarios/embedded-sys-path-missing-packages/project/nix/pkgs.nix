# A stand-in for the few nixpkgs attributes shell.nix uses, since nixpkgs cannot be fetched on
# this machine: each package is the machine's own installation (its prefix as outPath), mkShell
# turns its attributes into a derivation as nixpkgs' mkShell does, and python311.withPackages
# builds a real environment derivation the way nixpkgs' does: a prefix whose lib/python3.11
# links the interpreter's standard library, with the packages in its site directory.
let
  toolchainBin = builtins.getEnv "RUST_TOOLCHAIN_BIN";
  installed = prefix: extra: { outPath = prefix; } // extra;
  python311 = installed "/usr" {
    interpreter = "/usr/bin/python3.11";
    # Debian's Python (the one installed here) reads packages from lib/python3/dist-packages.
    sitePackages = "lib/python3/dist-packages";
    withPackages = choose: builtins.derivation {
      name = "python3-3.11-env";
      system = builtins.currentSystem;
      builder = "/bin/sh";
      PATH = "/usr/bin:/bin";
      packages = choose pythonPackages;
      args = [ "-c" ''
        set -e
        mkdir -p $out/bin $out/lib/python3.11 $out/${python311.sitePackages}
        for entry in ${python311}/lib/python3.11/*; do ln -s "$entry" $out/lib/python3.11/; done
        ln -s ${python311.interpreter} $out/bin/python3
        for package in $packages; do cp -r "$package" "$out/${python311.sitePackages}/''${package#*-}"; done
      '' ];
    };
  };
  pythonPackages = {
    report-helpers = builtins.path { path = ../python/report_helpers; name = "report_helpers"; };
  };
in
{
  inherit python311;
  mkShell = attrs: builtins.derivation ({
    name = "nix-shell";
    system = builtins.currentSystem;
    builder = "/bin/sh";
    args = [ "-c" "echo > $out" ];
  } // attrs);
  cargo = installed (dirOf toolchainBin) { };
  rustc = installed (dirOf toolchainBin) { };
}
