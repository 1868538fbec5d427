//! The formats the tools share, each with one owner here: a measurement (the meter's JSON
//! line), a row of `results.jsonl`, the environment record `env.json`, the reader and writer
//! of a results directory, and how numbers are written for people.

pub mod env;
pub mod error;
#[cfg(any(test, feature = "fixtures"))]
pub mod fixtures;
pub mod format;
pub mod jsonl;
pub mod measurement;
pub mod metric;
pub mod stats;
pub mod timeline;

pub use env::{Env, Took};
pub use harness::heap::{HeapOfTasks, SizeCount};
/// The exit codes every tool shares with the measured binaries.
pub use harness::report::exit;
pub use jsonl::{Results, Writer};
pub use measurement::{Build, Kernel, Measurement, Row, Status};
pub use metric::Metric;
