//! `env.json`: where and how a run was made: the machine, each implementation's toolchain
//! and exact version, the OS limits, how the meter measured, and the source tree.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What is missing from an older or hand-cut `env.json` reads as unknown.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Env {
    /// When the run started, RFC 3339 in UTC.
    pub date: String,
    pub cpu_model: Option<String>,
    pub cores: Option<usize>,
    pub memory_total_bytes: Option<u64>,
    pub memory_available_bytes: Option<u64>,
    pub kernel: Option<String>,
    pub distribution: Option<String>,
    pub rustc: Option<String>,
    /// Every implementation the run was asked for, by name.
    pub implementations: BTreeMap<String, Implementation>,
    /// The limits that bound the runs, by name, as the preflight read them.
    pub limits: BTreeMap<String, String>,
    pub limits_raised_for_the_run: bool,
    pub meter: Meter,
    pub git_commit: Option<String>,
    pub git_dirty: Option<bool>,
    /// The driver's command line.
    pub command: String,
}

/// One implementation as this run found it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Implementation {
    pub label: String,
    pub language: String,
    /// OS threads, stackful, stackless or event loop.
    pub model: String,
    /// Its exact version (the version command's first line), when it could run.
    pub version: Option<String>,
    /// The command each cell ran, task count and sleep appended: every flag used.
    pub command: Vec<String>,
    /// Why it could not run here (no toolchain, a failed build), with what fixes it.
    pub unavailable: Option<String>,
    /// Where its memory per task goes, in one sentence (its manifest's).
    pub memory_note: Option<String>,
}

/// How the meter measured.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Meter {
    /// How often /proc was read while a program ran.
    pub sample_interval_ms: u64,
    /// `v1` or `v2` when every run had a memory cgroup of its own.
    pub cgroup: Option<String>,
    /// Why there was none, when there was none: the kernel's share is then unknown, never
    /// guessed.
    pub cgroup_unavailable: Option<String>,
    /// Why the program's memory could not be read as it ended, when it could not (then the
    /// peak is the highest reading taken while it ran).
    pub exit_reading_unavailable: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_environment_round_trips_through_json() {
        let mut env = Env {
            date: "2026-01-01T00:00:00Z".into(),
            cores: Some(2),
            command: "scripts/bench.sh --quick".into(),
            ..Env::default()
        };
        env.implementations.insert(
            "go".into(),
            Implementation {
                label: "Go".into(),
                unavailable: Some("no toolchain: run scripts/install-peers.sh".into()),
                ..Implementation::default()
            },
        );
        env.meter.cgroup = Some("v1".into());
        let json = serde_json::to_string_pretty(&env).unwrap();
        assert_eq!(serde_json::from_str::<Env>(&json).unwrap(), env);
    }
}
