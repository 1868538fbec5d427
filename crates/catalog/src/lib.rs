//! The implementations: one folder each (`crates/bench-<name>/` for Rust, `versions/<name>/`
//! for a Rust program built against other versions of its runtime in a workspace of its own,
//! `peers/<name>/` for the other languages), each described by a `bench.toml` manifest. The driver, the report,
//! `scripts/diff.sh` and the conformance tests find them here, so that adding one is adding a
//! folder.
//!
//! ```toml
//! name = "tokio"                 # the folder's name: crates/bench-tokio or peers/tokio [default]
//! label = "tokio"                # as the tables show it [default: name]
//! language = "Rust"
//! model = "stackless"            # os-threads, stackful, stackless or event-loop
//! variant_of = "tokio"           # for a variant: the implementation it changes [default: none]
//! release_of = "tokio"           # for another release of that one's runtime, running its
//!                                # program (a variant too) [default: none]
//! order = 20                     # place in the tables: Rust first, then the article's order
//! source = "src/main.rs"         # the program, for scripts/diff.sh
//! build = [["cargo", "build", "--release", "--locked", "-p", "bench-tokio"]]
//! run = ["{target}/release/bench-tokio"]              # TASKS --sleep SECONDS are appended
//! version = ["{target}/release/bench-tokio", "--version"]   # its first line is the version
//! toolchain = ["cargo", "--version"]   # succeeds when the toolchain is installed
//! install = "rustup (rust-toolchain.toml)"           # what installs it
//! self_report = true             # prints its own JSON line (the Rust harness)
//! stress_runs = 500              # runs at each tiny sleep in the conformance tests
//! bytes_per_task_bound = 4096    # the preflight's bound before any cell is measured
//! env = { GOTOOLCHAIN = "local" }   # set for every command of it [default: none]
//! workers = { TOKIO_WORKER_THREADS = "{workers}" }   # how `--workers` sets its worker
//!                                # threads [default: none, it has no such setting]
//! memory_note = "..."            # one sentence on where its memory per task goes
//! runs_alone = "..."             # why its cells never run beside others [default: none]
//! runs_alone_at = [100000]       # the counts at which they run alone [default: every count]
//! [allocations]                  # a build that counts its allocations (Rust), and its run
//! build = [["cargo", "build", "--release", "--features", "count-allocations", ...]]
//! run = ["{target}/allocations/release/bench-tokio"]
//! [published]                    # the published program it stands for, as printed
//! what = "the 2024 follow-up's rust_tokio"
//! source = "src/bin/published-tokio.rs"
//! build = [["cargo", "build", "--release", "--locked", "-p", "bench-tokio"]]
//! run = ["{target}/release/published-tokio"]          # TASKS SECONDS are appended
//! difference = "..."             # why ours is written otherwise, where it is on purpose
//! [limits]                       # what each task takes of the OS limits, for a program
//!                                # that cannot say (a Rust one answers --needs)
//! threads_per_task = 0
//! mappings_per_task = 0
//! io_uring = false
//! ```
//!
//! A Rust crate (`crates/bench-<name>`) states only what differs from its defaults, which
//! follow from its folder (see `defaults.rs`): language, source, build, run, version,
//! toolchain, install, self_report, [allocations], and in a [published] table all but `what`
//! (`src/bin/published-<name>.rs`). Its manifest is then label, model, order, the preflight's
//! bound, its memory note and what is its own. A crate in `versions/<name>` gets the same but
//! the counting build and the published program, and is built from its own manifest and lock.
//!
//! In commands, `{root}` is the repository, `{dir}` the folder, `{target}` Cargo's target
//! directory, `{build}` a build directory of the implementation's own under it and
//! `{toolchains}` the folder where `scripts/install-peers.sh` installs other releases of a
//! language beside the system's.

mod command;
mod defaults;
mod discover;
mod error;
mod implementation;
mod manifest;
mod stated;

pub use discover::discover;
pub use error::{CommandFailure, Error};
pub use implementation::Implementation;
pub use manifest::{Alternative, Manifest, Model, Published};

use std::path::{Path, PathBuf};

pub const MANIFEST: &str = "bench.toml";

/// Where `scripts/install-peers.sh` puts the toolchains it installs beside the system's (other
/// releases of Go and Node.js), under the repository: `{toolchains}` in a manifest.
pub const TOOLCHAINS: &str = ".toolchains";

/// The repository this crate is part of: where the implementations are.
pub fn repository_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root)
}

/// Cargo's target directory for the repository at `root`.
pub fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}
