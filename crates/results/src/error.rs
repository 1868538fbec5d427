//! What can go wrong reading and writing results, each in one line that names the file.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("'{}' is not a results directory: {why}", .dir.display())]
    NotResults { dir: PathBuf, why: &'static str },
    #[error("cannot read {}: {source}", .path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} is not an environment record: {source}", .path.display())]
    NotEnv {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("cannot write results to '{}': {source}", .dir.display())]
    Create {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot append to {}: {source}", .path.display())]
    Append {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {}: {source}", .path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} is not an environment record ({source}): give a new --out", .path.display())]
    EarlierEnv {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("'{}' holds rows made in another environment ({difference}): give a new --out", .dir.display())]
    OtherEnvironment { dir: PathBuf, difference: String },
    #[error("invalid timeout '{0}': expected a number of seconds > 0 like 300 or 2.5")]
    Timeout(String),
}
