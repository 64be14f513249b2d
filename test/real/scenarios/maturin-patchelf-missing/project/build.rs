// Links libgreet from the Nix store, the way a Nix dev shell provides C libraries.
fn main() {
    let lib_dir = std::fs::canonicalize("libgreet/lib").expect("run nix-build nix/libgreet.nix -o libgreet first");
    println!("cargo:rustc-link-search=native={}", lib_dir.display());
    println!("cargo:rustc-link-lib=dylib=greet");
    println!("cargo:rustc-link-arg=-Wl,-rpath,{}", lib_dir.display());
    println!("cargo:rerun-if-changed=libgreet");
}
