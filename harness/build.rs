//! Records, at build time, the exact version of every runtime crate that Cargo.lock resolved,
//! and the rustc version (the "runtime" of OS threads).

use std::{env, fs, path::Path, process::Command};

const RUNTIME_CRATES: &[&str] = &["tokio", "async-std", "smol", "glommio", "may"];

fn main() {
    let lock = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).join("../Cargo.lock");
    println!("cargo:rerun-if-changed={}", lock.display());
    let lock = fs::read_to_string(&lock).unwrap_or_default();
    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let rustc_version = Command::new(rustc)
        .arg("--version")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .unwrap_or_default();

    let mut table = format!("[(\"threads\", {rustc_version:?}),\n");
    for name in RUNTIME_CRATES {
        let version = locked_version(&lock, name).unwrap_or("unknown");
        table += &format!("({name:?}, {version:?}),\n");
    }
    table += "]";
    let out = Path::new(&env::var("OUT_DIR").unwrap()).join("versions.rs");
    fs::write(out, table).unwrap();
}

/// The version of the package `name` in a Cargo.lock.
fn locked_version<'a>(lock: &'a str, name: &str) -> Option<&'a str> {
    let header = format!("name = \"{name}\"");
    let mut lines = lock.lines();
    lines.find(|line| *line == header)?;
    lines
        .next()?
        .strip_prefix("version = \"")?
        .strip_suffix('"')
}
