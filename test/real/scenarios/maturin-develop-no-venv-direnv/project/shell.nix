# The dev shell direnv enters with `use nix`. nixpkgs cannot be fetched here, so this is a bare
# derivation nix-shell can enter, with a stand-in stdenv: it keeps the caller's PATH (cargo,
# python3) and adds nothing.
builtins.derivation {
  name = "greeter-shell";
  system = builtins.currentSystem;
  builder = "/bin/sh";
  args = [ "-c" "echo > $out" ];
  stdenv = ./nix/stdenv;
}
