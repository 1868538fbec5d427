//! What can go wrong finding, building or asking an implementation.

use std::path::PathBuf;

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
