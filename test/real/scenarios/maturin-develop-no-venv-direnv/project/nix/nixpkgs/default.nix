# Stands in for nixpkgs, which cannot be fetched here: nix-shell only asks it for bashInteractive,
# and this one links the system's bash.
{ ... }:
{
  bashInteractive = builtins.derivation {
    name = "bash-interactive-system";
    system = builtins.currentSystem;
    builder = "/bin/sh";
    PATH = "/usr/bin:/bin";
    args = [ "-c" "mkdir -p $out/bin && ln -s /bin/bash $out/bin/bash" ];
  };
}
