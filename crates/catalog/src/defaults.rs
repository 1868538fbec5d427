//! What an implementation's folder supplies where its manifest is silent: its name, and for a
//! Rust crate everything that follows from it.

use crate::manifest::Alternative;
use std::collections::BTreeMap;

/// Where an implementation's folder is, which decides what its manifest may leave out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Folder {
    /// `crates/bench-<name>`: a Rust crate of the workspace.
    Crate,
    /// `versions/<name>`: a Rust crate in a workspace of its own, whose lock holds other
    /// versions of its runtime and their dependencies than the project's.
    Version,
    /// `peers/<name>`: a program in another language.
    Peer,
}

impl Folder {
    /// Every kind, with the folder it is under and the prefix of its folders' names.
    pub(crate) const ALL: [(Folder, &'static str, &'static str); 3] = [
        (Folder::Crate, "crates", "bench-"),
        (Folder::Version, "versions", ""),
        (Folder::Peer, "peers", ""),
    ];
}

/// The defaults of one implementation, each field one a manifest may leave out.
#[derive(Debug, Default)]
pub(crate) struct Defaults {
    pub name: String,
    pub language: Option<String>,
    pub source: Option<String>,
    pub build: Vec<Vec<String>>,
    pub run: Option<Vec<String>>,
    pub version: Option<Vec<String>>,
    pub toolchain: Option<Vec<String>>,
    pub install: Option<String>,
    pub self_report: bool,
    pub env: BTreeMap<String, String>,
    pub allocations: Option<Alternative>,
    /// Where its `[published]` table, when it has one, finds the program.
    pub published: Option<PublishedDefaults>,
}

/// The published program's source and commands, for a `[published]` table that names only
/// which publication printed it.
#[derive(Debug)]
pub(crate) struct PublishedDefaults {
    pub source: String,
    pub build: Vec<Vec<String>>,
    pub run: Vec<String>,
}

/// The defaults of an implementation named `name` in a folder of kind `folder`: its name,
/// and for a Rust crate the harness's program in `src/main.rs`, built by Cargo; for one of
/// the workspace its counting build and its published program in
/// `src/bin/published-<name>.rs`; for one in a workspace of its own, its own target directory,
/// and its lock for the harness to read the versions from.
pub(crate) fn defaults(name: &str, folder: Folder) -> Defaults {
    let name = name.to_string();
    if folder == Folder::Peer {
        return Defaults {
            name,
            ..Defaults::default()
        };
    }
    let package = format!("bench-{name}");
    let binary = match folder {
        Folder::Version => format!("{{target}}/versions/release/{package}"),
        _ => format!("{{target}}/release/{package}"),
    };
    let rust = Defaults {
        language: Some("Rust".into()),
        source: Some("src/main.rs".into()),
        run: Some(words(&[&binary])),
        version: Some(words(&[&binary, "--version"])),
        toolchain: Some(words(&["cargo", "--version"])),
        install: Some("rustup, which reads rust-toolchain.toml".into()),
        self_report: true,
        ..Defaults::default()
    };
    match folder {
        Folder::Version => version_defaults(rust, name, &package),
        _ => crate_defaults(rust, &package, name),
    }
}

/// A workspace crate's build, its counting build and its published program.
fn crate_defaults(rust: Defaults, package: &str, name: String) -> Defaults {
    let counting = "{target}/allocations";
    let published = format!("published-{name}");
    Defaults {
        build: cargo_build(package, &[]),
        allocations: Some(Alternative {
            build: cargo_build(
                package,
                &["--features", "count-allocations", "--target-dir", counting],
            ),
            run: words(&[&format!("{counting}/release/{package}")]),
        }),
        published: Some(PublishedDefaults {
            source: format!("src/bin/{published}.rs"),
            build: cargo_build(package, &["--bin", &published]),
            run: words(&[&format!("{{target}}/release/{published}")]),
        }),
        name,
        ..rust
    }
}

/// A crate in a workspace of its own: its program and its published one (`published-<name>`,
/// unique among the releases) built from its own manifest and lock, the harness told to read
/// that lock, into a target directory shared by every release, where the dependencies two
/// releases share are built once.
fn version_defaults(rust: Defaults, name: String, package: &str) -> Defaults {
    let published = format!("published-{name}");
    let lock = [("HARNESS_CARGO_LOCK".into(), "{dir}/Cargo.lock".into())];
    Defaults {
        build: vec![version_build(package)],
        env: lock.into(),
        published: Some(PublishedDefaults {
            source: format!("src/bin/{published}.rs"),
            build: vec![version_build(&published)],
            run: words(&[&format!("{{target}}/versions/release/{published}")]),
        }),
        name,
        ..rust
    }
}

/// The build of one binary of a release's own workspace into the releases' shared target.
fn version_build(binary: &str) -> Vec<String> {
    words(&[
        "cargo",
        "build",
        "--release",
        "--locked",
        "--quiet",
        "--manifest-path",
        "{dir}/Cargo.toml",
        "--target-dir",
        "{target}/versions",
        "--bin",
        binary,
    ])
}

/// A command as a manifest writes it: a list of words.
fn words(words: &[&str]) -> Vec<String> {
    words.iter().map(|&w| w.to_string()).collect()
}

/// The one build command of `package` in release, with `more` arguments, as a manifest's
/// `build` (a list of commands).
fn cargo_build(package: &str, more: &[&str]) -> Vec<Vec<String>> {
    let command = [
        "cargo",
        "build",
        "--release",
        "--locked",
        "--quiet",
        "-p",
        package,
    ];
    vec![words(&[&command[..], more].concat())]
}
