//! Records, at build time, the exact version of every package that Cargo.lock resolved (so
//! that a runtime added later needs no edit here), and the rustc version (the "runtime" of
//! OS threads). The lock is the workspace's, or the one `HARNESS_CARGO_LOCK` names: a program
//! built in a workspace of its own with other versions (`versions/`) reads its own.

use std::{env, fs, path::Path, process::Command};

fn main() {
    println!("cargo:rerun-if-env-changed=HARNESS_CARGO_LOCK");
    let lock = match env::var_os("HARNESS_CARGO_LOCK") {
        Some(lock) => lock.into(),
        None => Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).join("../Cargo.lock"),
    };
    println!("cargo:rerun-if-changed={}", lock.display());
    let lock = fs::read_to_string(&lock).unwrap_or_default();
    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let rustc_version = Command::new(rustc)
        .arg("--version")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .unwrap_or_default();

    let mut table = format!("[(\"threads\", {rustc_version:?}),\n");
    for (name, version) in locked_packages(&lock) {
        table += &format!("({name:?}, {version:?}),\n");
    }
    table += "]";
    let out = Path::new(&env::var("OUT_DIR").unwrap()).join("versions.rs");
    fs::write(out, table).unwrap();
}

/// Every `name = "..."` followed by `version = "..."` in a Cargo.lock.
fn locked_packages(lock: &str) -> Vec<(&str, &str)> {
    lock.lines()
        .zip(lock.lines().skip(1))
        .filter_map(|(first, second)| Some((value(first, "name")?, value(second, "version")?)))
        .collect()
}

/// The value of `key = "value"`.
fn value<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    line.strip_prefix(key)?
        .strip_prefix(" = \"")?
        .strip_suffix('"')
}
