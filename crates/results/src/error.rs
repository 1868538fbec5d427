//! What can go wrong reading and writing results, each in one line that names the file.
//!
//! Each cause is part of its message, in a field named `cause` rather than `source`, so that a
//! tool printing the chain of causes (`{:#}`) does not say it twice.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("'{}' is not a results directory: {why}", .dir.display())]
    NotResults { dir: PathBuf, why: &'static str },
    #[error("cannot read {}: {cause}", .path.display())]
    Read {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("{} is not an environment record: {cause}", .path.display())]
    NotEnv {
        path: PathBuf,
        cause: serde_json::Error,
    },
    #[error("cannot write results to '{}': {cause}", .dir.display())]
    Create { dir: PathBuf, cause: std::io::Error },
    #[error("cannot append to {}: {cause}", .path.display())]
    Append {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("cannot write {}: {cause}", .path.display())]
    Write {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("{} is not an environment record ({cause}): give a new --out", .path.display())]
    EarlierEnv {
        path: PathBuf,
        cause: serde_json::Error,
    },
    #[error("'{}' holds rows made in another environment ({difference}): give a new --out", .dir.display())]
    OtherEnvironment { dir: PathBuf, difference: String },
    #[error("invalid timeout '{0}': expected a number of seconds > 0 like 300 or 2.5")]
    Timeout(String),
}
