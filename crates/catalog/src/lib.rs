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
//! follow from its folder (see `defaults`): language, source, build, run, version,
//! toolchain, install, self_report, [allocations], and in a [published] table all but `what`
//! (`src/bin/published-<name>.rs`). Its manifest is then label, model, order, the preflight's
//! bound, its memory note and what is its own. A crate in `versions/<name>` gets the same but
//! the counting build and the published program, and is built from its own manifest and lock.
//!
//! In commands, `{root}` is the repository, `{dir}` the folder, `{target}` Cargo's target
//! directory, `{build}` a build directory of the implementation's own under it and
//! `{toolchains}` the folder where `scripts/install-peers.sh` installs other releases of a
//! language beside the system's.

use harness::limits::{Needs, Shortfall};
use serde::Deserialize;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// How an implementation runs its tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Model {
    OsThreads,
    Stackful,
    Stackless,
    EventLoop,
}

impl Model {
    pub fn describe(self) -> &'static str {
        match self {
            Model::OsThreads => "OS threads",
            Model::Stackful => "stackful",
            Model::Stackless => "stackless",
            Model::EventLoop => "event loop",
        }
    }
}

/// A `bench.toml`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub name: String,
    pub label: Option<String>,
    pub language: String,
    pub model: Model,
    /// For a variant (a reader's proposal, a small diff from another implementation): that one.
    pub variant_of: Option<String>,
    /// For another release of an implementation's runtime (or language), running its
    /// program: that implementation. It is a variant of it too.
    pub release_of: Option<String>,
    pub order: u32,
    pub source: String,
    #[serde(default)]
    pub build: Vec<Vec<String>>,
    pub run: Vec<String>,
    pub version: Vec<String>,
    pub toolchain: Vec<String>,
    pub install: String,
    #[serde(default)]
    pub self_report: bool,
    #[serde(default = "default_stress_runs")]
    pub stress_runs: usize,
    pub bytes_per_task_bound: u64,
    /// What each task takes of the OS limits, for a program that cannot say so itself (one
    /// in another language); a Rust program declares it in its code and answers `--needs`.
    /// Read through `Implementation::needs`, which asks whichever declares it.
    #[serde(default)]
    pub(crate) limits: Needs,
    /// Variables set for every command of it: building, running, its version.
    #[serde(default)]
    pub env: std::collections::BTreeMap<String, String>,
    /// The variables that set how many worker threads it runs its tasks on, `{workers}`
    /// standing for the count; empty where it has no such setting.
    #[serde(default)]
    pub workers: std::collections::BTreeMap<String, String>,
    /// A build that counts its allocations, where there is one (the Rust implementations).
    pub allocations: Option<Alternative>,
    /// One sentence on where its memory per task goes, for the report.
    pub memory_note: Option<String>,
    /// The published program it stands for, where there is one: what `--fidelity` measures
    /// beside it.
    pub published: Option<Published>,
}

/// A published program, written here as printed, with only the task count and the sleep read
/// from the command line (`TASKS SECONDS`): nothing of the launch protocol, no count.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Published {
    /// Which publication printed it, as the report names it.
    pub what: String,
    /// Its source, in the implementation's folder.
    pub source: String,
    #[serde(default)]
    pub build: Vec<Vec<String>>,
    pub run: Vec<String>,
    /// Why this implementation is written otherwise, where it is on purpose.
    pub difference: Option<String>,
}

/// Another build of the same program, and how to run it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alternative {
    pub build: Vec<Vec<String>>,
    pub run: Vec<String>,
}

fn default_stress_runs() -> usize {
    500
}

pub const MANIFEST: &str = "bench.toml";

/// Where `scripts/install-peers.sh` puts the toolchains it installs beside the system's (other
/// releases of Go and Node.js), under the repository: `{toolchains}` in a manifest.
pub const TOOLCHAINS: &str = ".toolchains";

/// What can go wrong finding, building or asking an implementation, in one line that names it;
/// each cause is part of the message (`cause`, not `source`), so that printing the chain of
/// causes does not say it twice.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {}: {cause}", .path.display())]
    Read {
        path: PathBuf,
        cause: std::io::Error,
    },
    /// The manifest is not one: TOML's own words, on one line.
    #[error("{}: {why}", .path.display())]
    Manifest { path: PathBuf, why: String },
    #[error("{}: name is '{stated}' but the folder says '{folder}'", .path.display())]
    Name {
        path: PathBuf,
        stated: String,
        folder: String,
    },
    #[error("{name} stands for no published program")]
    NoPublished { name: String },
    #[error("{name} has no build that counts allocations")]
    NoCounting { name: String },
    #[error("cannot create {dir}: {cause}")]
    BuildDir { dir: String, cause: std::io::Error },
    #[error("cannot build {name}: {why}")]
    Build { name: String, why: CommandFailure },
    #[error("the version command of {name} printed nothing")]
    NoVersion { name: String },
    #[error(transparent)]
    Command(#[from] CommandFailure),
}

/// A command that could not run or failed: which, and what it said.
#[derive(Debug, thiserror::Error)]
pub enum CommandFailure {
    #[error("an empty command")]
    Empty,
    #[error("cannot run {program}: {cause}")]
    NotRun {
        program: String,
        cause: std::io::Error,
    },
    #[error("{command} failed ({status}){}", .said.as_ref().map(|l| format!(": {l}")).unwrap_or_default())]
    Failed {
        command: String,
        status: std::process::ExitStatus,
        said: Option<String>,
    },
}

/// For the tools that still speak in lines of text.
impl From<Error> for String {
    fn from(error: Error) -> String {
        error.to_string()
    }
}

/// One implementation found in the repository.
#[derive(Debug, Clone)]
pub struct Implementation {
    pub manifest: Manifest,
    /// Its folder.
    pub dir: PathBuf,
    root: PathBuf,
    /// What its built program said of its needs, once asked.
    needs: std::sync::OnceLock<Needs>,
}

/// Every implementation under `root`, in the tables' order; a manifest that cannot be read
/// is an error that names it.
pub fn discover(root: &Path) -> Result<Vec<Implementation>, Error> {
    let mut found = Vec::new();
    for (kind, parent, prefix) in Folder::ALL {
        let Ok(entries) = std::fs::read_dir(root.join(parent)) else {
            continue;
        };
        for entry in entries.flatten() {
            let dir = entry.path();
            let folder = entry.file_name().to_string_lossy().into_owned();
            let Some(name) = folder.strip_prefix(prefix) else {
                continue;
            };
            let path = dir.join(MANIFEST);
            if !path.is_file() {
                continue;
            }
            let manifest = read_manifest(&path, defaults(name, kind))?;
            if manifest.name != name {
                return Err(Error::Name {
                    path,
                    stated: manifest.name,
                    folder: name.to_string(),
                });
            }
            found.push(Implementation {
                manifest,
                dir,
                root: root.to_path_buf(),
                needs: std::sync::OnceLock::new(),
            });
        }
    }
    found.sort_by(|a, b| {
        (a.manifest.order, &a.manifest.name).cmp(&(b.manifest.order, &b.manifest.name))
    });
    Ok(found)
}

fn read_manifest(path: &Path, defaults: toml::Table) -> Result<Manifest, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        cause: source,
    })?;
    let not_one = |why: String| Error::Manifest {
        path: path.to_path_buf(),
        why: why.replace('\n', " "),
    };
    let stated: toml::Table = toml::from_str(&text).map_err(|e| not_one(e.to_string()))?;
    let manifest: Manifest = toml::Value::Table(with_defaults(stated, defaults))
        .try_into()
        .map_err(|e: toml::de::Error| not_one(e.to_string()))?;
    if manifest.self_report && manifest.limits != Needs::default() {
        return Err(not_one(
            "a harness program declares its limits in its code (Run::require) and prints \
             them when asked --needs: remove [limits]"
                .into(),
        ));
    }
    let mut manifest = manifest;
    if manifest.variant_of.is_none() {
        manifest.variant_of = manifest.release_of.clone();
    }
    if manifest.run.is_empty() || manifest.version.is_empty() || manifest.toolchain.is_empty() {
        return Err(not_one(
            "run, version and toolchain must each name a command".into(),
        ));
    }
    Ok(manifest)
}

/// What a manifest states, over its defaults: a key it states wins, and a table it states
/// ([published]) is filled in from the default table of that name.
fn with_defaults(mut stated: toml::Table, defaults: toml::Table) -> toml::Table {
    for (key, default) in defaults {
        match (stated.get_mut(&key), default) {
            (Some(toml::Value::Table(table)), toml::Value::Table(default)) => {
                for (inner, value) in default {
                    table.entry(inner).or_insert(value);
                }
            }
            (Some(_), _) => {}
            (None, toml::Value::Table(_)) if key == "published" => {}
            (None, default) => {
                stated.insert(key, default);
            }
        }
    }
    stated
}

/// Where an implementation's folder is, which decides what its manifest may leave out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Folder {
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
    const ALL: [(Folder, &'static str, &'static str); 3] = [
        (Folder::Crate, "crates", "bench-"),
        (Folder::Version, "versions", ""),
        (Folder::Peer, "peers", ""),
    ];
}

/// The defaults of an implementation named `name` in a folder of kind `folder`: its name,
/// and for a Rust crate everything that follows from it: the harness's program in
/// `src/main.rs`, built by Cargo; for one of the workspace its counting build and, where it
/// stands for one, its published program in `src/bin/published-<name>.rs`; for one in a
/// workspace of its own, its own target directory, and its lock for the harness to read
/// the versions from.
fn defaults(name: &str, folder: Folder) -> toml::Table {
    let mut table = toml::Table::new();
    table.insert("name".into(), name.into());
    if folder == Folder::Peer {
        return table;
    }
    let package = format!("bench-{name}");
    let binary = match folder {
        Folder::Version => format!("{{target}}/versions/{name}/release/{package}"),
        _ => format!("{{target}}/release/{package}"),
    };
    for (key, value) in [
        ("language", "Rust".into()),
        ("source", "src/main.rs".into()),
        ("run", words(&[&binary])),
        ("version", words(&[&binary, "--version"])),
        ("toolchain", words(&["cargo", "--version"])),
        ("install", "rustup, which reads rust-toolchain.toml".into()),
        ("self_report", true.into()),
    ] {
        table.insert(key.into(), value);
    }
    match folder {
        Folder::Version => version_defaults(&mut table, name),
        _ => crate_defaults(&mut table, &package, name),
    }
    table
}

/// A workspace crate's build, its counting build and its published program.
fn crate_defaults(table: &mut toml::Table, package: &str, name: &str) {
    let counting = cargo_build(
        package,
        &[
            "--features",
            "count-allocations",
            "--target-dir",
            "{target}/allocations",
        ],
    );
    let published = format!("published-{name}");
    let mut published_table = commands(
        cargo_build(package, &["--bin", &published]),
        &format!("{{target}}/release/{published}"),
    );
    if let toml::Value::Table(inner) = &mut published_table {
        inner.insert("source".into(), format!("src/bin/{published}.rs").into());
    }
    table.insert("build".into(), cargo_build(package, &[]));
    table.insert(
        "allocations".into(),
        commands(
            counting,
            &format!("{{target}}/allocations/release/{package}"),
        ),
    );
    table.insert("published".into(), published_table);
}

/// A crate in a workspace of its own: built from its own manifest and lock into a target
/// directory of its own, the harness told to read that lock.
fn version_defaults(table: &mut toml::Table, name: &str) {
    let build = words(&[
        "cargo",
        "build",
        "--release",
        "--locked",
        "--quiet",
        "--manifest-path",
        "{dir}/Cargo.toml",
        "--target-dir",
        &format!("{{target}}/versions/{name}"),
    ]);
    table.insert("build".into(), toml::Value::Array(vec![build]));
    let mut env = toml::Table::new();
    env.insert("HARNESS_CARGO_LOCK".into(), "{dir}/Cargo.lock".into());
    table.insert("env".into(), env.into());
}

/// A command as a manifest writes it: an array of words.
fn words(words: &[&str]) -> toml::Value {
    toml::Value::Array(words.iter().map(|&w| w.into()).collect())
}

/// The one build command of `package` in release, with `more` arguments, as a manifest's
/// `build` (a list of commands).
fn cargo_build(package: &str, more: &[&str]) -> toml::Value {
    let command = [
        "cargo",
        "build",
        "--release",
        "--locked",
        "--quiet",
        "-p",
        package,
    ];
    toml::Value::Array(vec![words(&[&command[..], more].concat())])
}

/// A table of another build: its `build` commands and the binary it `run`s.
fn commands(build: toml::Value, binary: &str) -> toml::Value {
    let mut table = toml::Table::new();
    table.insert("build".into(), build);
    table.insert("run".into(), words(&[binary]));
    table.into()
}

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

impl Implementation {
    pub fn name(&self) -> &str {
        &self.manifest.name
    }

    /// A command as a reader can run it from the repository: paths inside it made relative.
    pub fn display(&self, command: &[String]) -> Vec<String> {
        let root = format!("{}/", self.root.display());
        command.iter().map(|word| word.replace(&root, "")).collect()
    }

    pub fn label(&self) -> &str {
        self.manifest
            .label
            .as_deref()
            .unwrap_or(&self.manifest.name)
    }

    /// The program's source, as scripts/diff.sh shows it.
    pub fn source(&self) -> PathBuf {
        let source = self.dir.join(&self.manifest.source);
        // A version's program is its base's: `../../crates/bench-tokio/src/main.rs`.
        source.canonicalize().unwrap_or(source)
    }

    /// A command of the manifest with its placeholders filled in.
    pub fn expand(&self, command: &[String]) -> Vec<String> {
        let target = target_dir(&self.root);
        let build = target.join("peers").join(&self.manifest.name);
        command
            .iter()
            .map(|word| {
                word.replace("{root}", &self.root.to_string_lossy())
                    .replace("{dir}", &self.dir.to_string_lossy())
                    .replace("{target}", &target.to_string_lossy())
                    .replace("{build}", &build.to_string_lossy())
                    .replace(
                        "{toolchains}",
                        &self.root.join(TOOLCHAINS).to_string_lossy(),
                    )
            })
            .collect()
    }

    /// The variables its manifest sets, with placeholders filled in.
    pub fn environment(&self) -> Vec<(OsString, OsString)> {
        self.variables(&self.manifest.env)
    }

    /// Whether `--workers` can set how many worker threads it runs its tasks on.
    pub fn has_workers_setting(&self) -> bool {
        !self.manifest.workers.is_empty()
    }

    /// Its variables with, where it has the setting, those that give it `workers` worker
    /// threads (none: its own default).
    pub fn environment_with_workers(&self, workers: Option<u32>) -> Vec<(OsString, OsString)> {
        let mut variables = self.environment();
        if let Some(workers) = workers {
            let count = workers.to_string();
            let setting = self.manifest.workers.iter();
            let with_count =
                setting.map(|(name, value)| (name.clone(), value.replace("{workers}", &count)));
            variables.extend(self.variables(&with_count.collect()));
        }
        variables
    }

    fn variables(
        &self,
        set: &std::collections::BTreeMap<String, String>,
    ) -> Vec<(OsString, OsString)> {
        let names = set.keys().map(OsString::from);
        let values: Vec<String> = set.values().cloned().collect();
        names
            .zip(self.expand(&values).into_iter().map(OsString::from))
            .collect()
    }

    /// The command that runs `tasks` tasks sleeping `sleep_s` seconds each.
    pub fn run_command(&self, tasks: usize, sleep_s: f64) -> Vec<String> {
        let mut command = self.expand(&self.manifest.run);
        command.extend([tasks.to_string(), "--sleep".into(), sleep_s.to_string()]);
        command
    }

    /// Why the toolchain is not here, with the command that installs it; none when it is.
    pub fn missing_toolchain(&self) -> Option<String> {
        let command = self.expand(&self.manifest.toolchain);
        match output(&command, &self.root, &self.environment()) {
            Ok(_) => None,
            Err(why) => Some(format!(
                "no {} toolchain ({why}): install it with {}",
                self.manifest.language, self.manifest.install
            )),
        }
    }

    /// Builds it, in the repository's root; the error names the command that failed.
    pub fn build(&self) -> Result<(), Error> {
        self.run_builds(&self.manifest.build)
    }

    /// Builds its allocation-counting build; an error when it has none.
    pub fn build_counting(&self) -> Result<(), Error> {
        let alternative = self.counting()?;
        self.run_builds(&alternative.build)
    }

    /// The command that runs its allocation-counting build.
    pub fn counting_command(&self, tasks: usize, sleep_s: f64) -> Result<Vec<String>, Error> {
        let mut command = self.expand(&self.counting()?.run);
        command.extend([tasks.to_string(), "--sleep".into(), sleep_s.to_string()]);
        Ok(command)
    }

    /// Builds the published program it stands for; an error when it has none.
    pub fn build_published(&self) -> Result<(), Error> {
        self.run_builds(&self.published()?.build)
    }

    /// The command that runs the published program it stands for: `TASKS SECONDS` appended.
    pub fn published_command(&self, tasks: usize, sleep_s: f64) -> Result<Vec<String>, Error> {
        let mut command = self.expand(&self.published()?.run);
        command.extend([tasks.to_string(), sleep_s.to_string()]);
        Ok(command)
    }

    fn published(&self) -> Result<&Published, Error> {
        let name = || self.name().to_string();
        let published = self.manifest.published.as_ref();
        published.ok_or_else(|| Error::NoPublished { name: name() })
    }

    fn counting(&self) -> Result<&Alternative, Error> {
        let name = || self.name().to_string();
        let counting = self.manifest.allocations.as_ref();
        counting.ok_or_else(|| Error::NoCounting { name: name() })
    }

    fn run_builds(&self, commands: &[Vec<String>]) -> Result<(), Error> {
        if let Some(build) = self.expand(&["{build}".to_string()]).first() {
            std::fs::create_dir_all(build).map_err(|source| Error::BuildDir {
                dir: build.clone(),
                cause: source,
            })?;
        }
        for command in commands {
            output(&self.expand(command), &self.root, &self.environment()).map_err(|why| {
                Error::Build {
                    name: self.name().to_string(),
                    why,
                }
            })?;
        }
        Ok(())
    }

    /// The first line of what the version command prints: the exact toolchain or runtime.
    pub fn version(&self) -> Result<String, Error> {
        let text = output(
            &self.expand(&self.manifest.version),
            &self.root,
            &self.environment(),
        )?;
        text.lines()
            .map(str::trim)
            .find(|line| !line.is_empty())
            .map(str::to_string)
            .ok_or_else(|| Error::NoVersion {
                name: self.name().to_string(),
            })
    }

    /// The OS limits that `tasks` tasks of it would break: the same checks a Rust binary
    /// makes before it spawns.
    pub fn shortfalls(&self, tasks: usize) -> Vec<Shortfall> {
        self.needs().shortfalls(tasks as u64)
    }

    /// What each of its tasks takes of the OS limits: as its program declares it (`--needs`,
    /// asked of the built program once it answers), or as its manifest's `[limits]` does for
    /// a program that cannot say. A harness program not built yet is taken to need nothing,
    /// and asked again next time.
    pub fn needs(&self) -> Needs {
        if !self.manifest.self_report {
            return self.manifest.limits;
        }
        if let Some(needs) = self.needs.get() {
            return *needs;
        }
        let mut command = self.expand(&self.manifest.run);
        command.push("--needs".into());
        let said = output(&command, &self.root, &self.environment()).ok();
        match said.and_then(|said| serde_json::from_str::<Needs>(said.trim()).ok()) {
            Some(needs) => *self.needs.get_or_init(|| needs),
            None => Needs::default(),
        }
    }
}

/// Runs `command` in `cwd` with `env` added: what it printed (stdout, or stderr when stdout is
/// empty), or why it could not run or failed, in one line.
fn output(
    command: &[String],
    cwd: &Path,
    env: &[(OsString, OsString)],
) -> Result<String, CommandFailure> {
    let (program, args) = command.split_first().ok_or(CommandFailure::Empty)?;
    let output = Command::new(program)
        .args(args)
        .envs(env.iter().cloned())
        .current_dir(cwd)
        .output()
        .map_err(|source| CommandFailure::NotRun {
            program: program.clone(),
            cause: source,
        })?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if !output.status.success() {
        // The line that says what went wrong: the first that names an error, else the last.
        let lines = || stderr.lines().chain(stdout.lines()).map(str::trim);
        let said = lines()
            .find(|l| l.to_lowercase().contains("error"))
            .or_else(|| lines().rfind(|l| !l.is_empty()));
        return Err(CommandFailure::Failed {
            command: command.join(" "),
            status: output.status,
            said: said.map(str::to_string),
        });
    }
    Ok(if stdout.trim().is_empty() {
        stderr
    } else {
        stdout
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, folder: &str, manifest: &str) {
        let dir = root.join(folder);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(MANIFEST), manifest).unwrap();
    }

    const PEER: &str = r#"
name = "echo"
language = "Shell"
model = "event-loop"
order = 5
source = "run.sh"
build = [["sh", "-c", "echo built > {build}/out"]]
run = ["sh", "{dir}/run.sh"]
version = ["sh", "-c", "echo; echo sh $SHELL_VERSION; echo more"]
toolchain = ["sh", "-c", "true"]
install = "apt-get install dash"
bytes_per_task_bound = 100
env = { SHELL_VERSION = "1.0" }
workers = { SHELL_OPTIONS = "-j {workers} {dir}" }
[limits]
threads_per_task = 1
mappings_per_task = 2
"#;

    #[test]
    fn every_repository_implementation_has_a_manifest_and_the_rust_ones_come_first() {
        let found = discover(&repository_root()).unwrap();
        let names: Vec<&str> = found.iter().map(Implementation::name).collect();
        for rust in ["threads", "tokio", "async-std", "smol", "glommio", "may"] {
            assert!(names.contains(&rust), "{rust} missing from {names:?}");
        }
        assert_eq!(names[0], "threads", "the article's order");
        let crates: Vec<_> = std::fs::read_dir(repository_root().join("crates"))
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("bench-"))
            .collect();
        for entry in crates {
            assert!(
                entry.path().join(MANIFEST).is_file(),
                "{} has no {MANIFEST}",
                entry.path().display()
            );
        }
    }

    #[test]
    fn a_folder_with_a_manifest_is_an_implementation_with_its_commands_expanded() {
        let root = tempfile::tempdir().unwrap();
        write(root.path(), "peers/echo", PEER);
        std::fs::create_dir_all(root.path().join("peers/no-manifest")).unwrap();
        let found = discover(root.path()).unwrap();
        assert_eq!(found.len(), 1);
        let echo = &found[0];
        assert_eq!((echo.name(), echo.label()), ("echo", "echo"));
        let dir = root.path().join("peers/echo");
        assert_eq!(
            echo.run_command(100, 0.5),
            [
                "sh",
                &format!("{}/run.sh", dir.display()),
                "100",
                "--sleep",
                "0.5"
            ]
        );
        assert_eq!(echo.missing_toolchain(), None);
        echo.build().unwrap();
        let built = target_dir(root.path()).join("peers/echo/out");
        assert_eq!(std::fs::read_to_string(built).unwrap(), "built\n");
        assert_eq!(echo.version().unwrap(), "sh 1.0");
    }

    #[test]
    fn workers_are_set_through_the_manifests_variables_only_when_asked() {
        let root = tempfile::tempdir().unwrap();
        write(root.path(), "peers/echo", PEER);
        let echo = &discover(root.path()).unwrap()[0];
        let own = [("SHELL_VERSION".into(), "1.0".into())];
        assert!(echo.has_workers_setting());
        assert_eq!(echo.environment_with_workers(None), own);
        let dir = root.path().join("peers/echo");
        let options = format!("-j 16 {}", dir.display());
        assert_eq!(
            echo.environment_with_workers(Some(16)),
            [own[0].clone(), ("SHELL_OPTIONS".into(), options.into())]
        );
        write(root.path(), "peers/echo", &PEER.replace("workers = ", "# "));
        assert!(!discover(root.path()).unwrap()[0].has_workers_setting());
    }

    #[test]
    fn a_missing_toolchain_names_what_installs_it() {
        let root = tempfile::tempdir().unwrap();
        let missing = PEER.replace(
            r#"toolchain = ["sh", "-c", "true"]"#,
            r#"toolchain = ["no-such-compiler", "--version"]"#,
        );
        write(root.path(), "peers/echo", &missing);
        let echo = &discover(root.path()).unwrap()[0];
        let why = echo.missing_toolchain().unwrap();
        assert!(
            why.starts_with("no Shell toolchain (cannot run no-such-compiler: "),
            "{why}"
        );
        assert!(
            why.ends_with("install it with apt-get install dash"),
            "{why}"
        );
    }

    #[test]
    fn a_bad_manifest_is_an_error_that_names_it() {
        let root = tempfile::tempdir().unwrap();
        write(root.path(), "peers/other", PEER);
        let error = discover(root.path()).unwrap_err().to_string();
        assert!(
            error.contains("name is 'echo' but the folder says 'other'"),
            "{error}"
        );
        let root = tempfile::tempdir().unwrap();
        write(
            root.path(),
            "peers/echo",
            &PEER.replace("event-loop", "fibres"),
        );
        let error = discover(root.path()).unwrap_err().to_string();
        assert!(
            error.contains("peers/echo/bench.toml") && error.contains("fibres"),
            "{error}"
        );
    }

    /// A Rust crate's manifest states only what differs: the rest follows from its folder,
    /// and what it states wins.
    #[test]
    fn a_rust_crate_gets_its_commands_from_its_folder() {
        let root = tempfile::tempdir().unwrap();
        let stated = "label = \"Rust demo\"\nmodel = \"stackless\"\norder = 1\n\
                      bytes_per_task_bound = 1\n[published]\nwhat = \"a post\"\n";
        write(root.path(), "crates/bench-demo", stated);
        let own = format!("{stated}source = \"src/other.rs\"\n")
            .replace("[published]\nwhat = \"a post\"\n", "");
        write(root.path(), "crates/bench-own", &own);
        let found = discover(root.path()).unwrap();
        let demo = &found.iter().find(|i| i.name() == "demo").unwrap().manifest;
        assert_eq!(demo.language, "Rust");
        assert_eq!(
            (demo.source.as_str(), demo.run.as_slice()),
            (
                "src/main.rs",
                &["{target}/release/bench-demo".to_string()][..]
            )
        );
        assert_eq!(demo.build[0].last().unwrap(), "bench-demo");
        assert!(demo.self_report);
        let counting = demo.allocations.as_ref().unwrap();
        assert!(counting.build[0].contains(&"count-allocations".to_string()));
        let published = demo.published.as_ref().unwrap();
        assert_eq!(
            (published.what.as_str(), published.source.as_str()),
            ("a post", "src/bin/published-demo.rs")
        );
        assert_eq!(published.run, ["{target}/release/published-demo"]);
        let own = &found.iter().find(|i| i.name() == "own").unwrap().manifest;
        assert_eq!(
            (own.source.as_str(), &own.published),
            ("src/other.rs", &None)
        );
    }

    #[test]
    fn a_version_is_built_from_its_own_manifest_and_lock_into_its_own_target() {
        let root = tempfile::tempdir().unwrap();
        let stated = "label = \"Rust demo 0.9\"\nmodel = \"stackless\"\norder = 1\n\
                      release_of = \"demo\"\n\
                      source = \"../../crates/bench-demo/src/main.rs\"\nbytes_per_task_bound = 1\n";
        write(root.path(), "versions/demo-0-9", stated);
        let program = root.path().join("crates/bench-demo/src/main.rs");
        std::fs::create_dir_all(program.parent().unwrap()).unwrap();
        std::fs::write(&program, "fn main() {}").unwrap();
        let found = discover(root.path()).unwrap();
        let version = &found[0];
        // Its kind of folder shows in its defaults: built from its own manifest, below.
        assert_eq!(version.name(), "demo-0-9");
        let manifest = &version.manifest;
        let build = version.expand(&manifest.build[0]).join(" ");
        let dir = root.path().join("versions/demo-0-9");
        let target = target_dir(root.path());
        assert!(
            build.ends_with(&format!(
                "--manifest-path {}/Cargo.toml --target-dir {}/versions/demo-0-9",
                dir.display(),
                target.display()
            )),
            "{build}"
        );
        assert_eq!(
            manifest.run,
            ["{target}/versions/demo-0-9/release/bench-demo-0-9"]
        );
        let lock = dir.join("Cargo.lock");
        assert_eq!(
            version.environment(),
            [("HARNESS_CARGO_LOCK".into(), lock.into_os_string())]
        );
        assert_eq!((&manifest.allocations, &manifest.published), (&None, &None));
        // Another release is a variant of the implementation it is a release of.
        assert_eq!(manifest.variant_of.as_deref(), Some("demo"));
        // Its program is its base's, as scripts/diff.sh shows it.
        assert_eq!(version.source(), program.canonicalize().unwrap());
    }

    #[test]
    fn a_rust_programs_limits_are_its_own_answer_not_its_manifests() {
        let root = tempfile::tempdir().unwrap();
        let stated = "label = \"Rust demo\"\nmodel = \"os-threads\"\norder = 1\n\
                      bytes_per_task_bound = 1\n[limits]\nthreads_per_task = 1\n";
        write(root.path(), "crates/bench-demo", stated);
        let error = discover(root.path()).unwrap_err().to_string();
        assert!(error.ends_with("remove [limits]"), "{error}");
        // The repository's threads crate says it when asked: built by the test command.
        let found = discover(&repository_root()).unwrap();
        let threads = found.iter().find(|i| i.name() == "threads").unwrap();
        threads.build().unwrap();
        assert_eq!(threads.needs(), harness::limits::OS_THREAD);
        let tokio = found.iter().find(|i| i.name() == "tokio").unwrap();
        tokio.build().unwrap();
        assert_eq!(tokio.needs(), Needs::default());
    }

    #[test]
    fn a_program_not_built_yet_is_asked_its_needs_again_once_built() {
        let root = tempfile::tempdir().unwrap();
        let stated = PEER
            .replace(
                "[limits]\nthreads_per_task = 1\nmappings_per_task = 2\n",
                "",
            )
            .replace("install = ", "self_report = true\ninstall = ");
        write(root.path(), "peers/echo", &stated);
        let echo = &discover(root.path()).unwrap()[0];
        assert_eq!(echo.needs(), Needs::default(), "no program yet");
        let answer = r#"echo '{"threads_per_task":1,"mappings_per_task":4,"io_uring":false}'"#;
        std::fs::write(root.path().join("peers/echo/run.sh"), answer).unwrap();
        assert_eq!(echo.needs(), harness::limits::OS_THREAD);
    }

    #[test]
    fn limits_follow_the_tasks() {
        let root = tempfile::tempdir().unwrap();
        write(root.path(), "peers/echo", PEER);
        let echo = &discover(root.path()).unwrap()[0];
        assert!(echo.shortfalls(10).is_empty());
        let pid_max = harness::limits::read_sysctl("kernel.pid_max").unwrap() as usize;
        let names: Vec<&str> = echo.shortfalls(pid_max).iter().map(|s| s.limit).collect();
        assert!(names.contains(&"kernel.pid_max"), "{names:?}");
    }
}
