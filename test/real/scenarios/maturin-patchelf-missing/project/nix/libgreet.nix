# A C library in the Nix store, built with the machine's compiler (nixpkgs is not needed).
builtins.derivation {
  name = "libgreet-1.0";
  system = builtins.currentSystem;
  builder = "/bin/sh";
  args = [ "-c" ''
    PATH=/usr/bin:/bin
    mkdir -p $out/lib
    echo 'int greet_answer(void) { return 42; }' > greet.c
    gcc -shared -fPIC -Wl,-soname,libgreet.so -o $out/lib/libgreet.so greet.c
  '' ];
}
