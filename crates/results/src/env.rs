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
    pub implementations: BTreeMap<String, ImplementationRecord>,
    /// The limits that bound the runs, by name, as the preflight read them.
    pub limits: BTreeMap<String, String>,
    pub limits_raised_for_the_run: bool,
    pub meter: Meter,
    pub git_commit: Option<String>,
    pub git_dirty: Option<bool>,
    /// The driver's command line.
    pub command: String,
    /// The most cells the driver ran at once; 1: every cell alone (as every run
    /// before the driver could, whose record does not say).
    #[serde(default = "one")]
    pub cells_at_once: usize,
    /// Later runs of the driver that added their rows to the same directory, in the same
    /// environment (a run in another is refused: [`Env::differs_from`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub later_runs: Vec<LaterRun>,
    /// How long the run took, once it ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub took: Option<Took>,
}

/// How long a run of the driver took, to the tenth of a second.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Took {
    /// Building what `scripts/bench.sh` builds before it starts the driver (the driver; the
    /// whole workspace before 2026-12-06), where it said (`BENCH_BUILD_S`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub building_s: Option<f64>,
    /// Building and checking the implementations.
    pub preparing_s: f64,
    /// Running the cells, from the first one's start to the last one's end.
    pub cells_s: f64,
}

impl Took {
    pub fn new(
        building: Option<std::time::Duration>,
        preparing: std::time::Duration,
        cells: std::time::Duration,
    ) -> Took {
        Took {
            building_s: building.map(tenths),
            preparing_s: tenths(preparing),
            cells_s: tenths(cells),
        }
    }
}

/// A duration in seconds to the tenth, as the records keep times.
pub fn tenths(duration: std::time::Duration) -> f64 {
    (duration.as_secs_f64() * 10.0).round() / 10.0
}

/// What an older record's missing `cells_at_once` means: every cell ran alone.
fn one() -> usize {
    1
}

/// A later run into the same results directory.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LaterRun {
    pub date: String,
    pub command: String,
    #[serde(default = "one")]
    pub cells_at_once: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub took: Option<Took>,
}

/// Entries of `limits` that are readings of the moment, not limits: they differ from run to
/// run on one machine.
pub const THREADS_RUNNING: &str = "threads running on the machine";
pub const MEMORY_AVAILABLE: &str = "memory available (MiB)";

impl Env {
    /// What makes rows made in `later` unfit to sit beside rows made in `self`, as
    /// `what: this then that`: another commit or tree, machine, limits, way of measuring, or
    /// another version or command of an implementation both ran. None when they can share a
    /// results directory; the date, the command line, the readings of the moment and
    /// implementations only one of them ran may differ.
    pub fn differs_from(&self, later: &Env) -> Option<String> {
        let mut pairs: Vec<(String, String, String)> = vec![
            field("git commit", &self.git_commit, &later.git_commit),
            field("uncommitted changes", &self.git_dirty, &later.git_dirty),
            field("CPU", &self.cpu_model, &later.cpu_model),
            field("cores", &self.cores, &later.cores),
            field(
                "memory",
                &self.memory_total_bytes,
                &later.memory_total_bytes,
            ),
            field("kernel", &self.kernel, &later.kernel),
            field("distribution", &self.distribution, &later.distribution),
            field("rustc", &self.rustc, &later.rustc),
            field(
                "limits raised for the run",
                &self.limits_raised_for_the_run,
                &later.limits_raised_for_the_run,
            ),
            field(
                "the meter's interval (ms)",
                &self.meter.sample_interval_ms,
                &later.meter.sample_interval_ms,
            ),
            field("cgroup", &self.meter.cgroup, &later.meter.cgroup),
        ];
        for (name, value) in &self.limits {
            if [THREADS_RUNNING, MEMORY_AVAILABLE].contains(&name.as_str()) {
                continue;
            }
            pairs.push(field(name, &Some(value), &later.limits.get(name)));
        }
        for (name, found) in &self.implementations {
            let Some(other) = later.implementations.get(name) else {
                continue;
            };
            pairs.push(field(
                &format!("{name}'s version"),
                &found.version,
                &other.version,
            ));
            pairs.push(field(
                &format!("{name}'s command"),
                &found.command.join(" "),
                &other.command.join(" "),
            ));
        }
        pairs
            .into_iter()
            .find(|(_, before, after)| before != after)
            .map(|(what, before, after)| format!("{what}: {before} then {after}"))
    }

    /// Records `later`, a run in the same environment, as one more run of this directory:
    /// its date, command and cells at once, and the implementations only it ran.
    pub fn add_later_run(&mut self, later: Env) {
        self.later_runs.push(LaterRun {
            date: later.date,
            command: later.command,
            cells_at_once: later.cells_at_once,
            took: later.took,
        });
        for (name, found) in later.implementations {
            self.implementations.entry(name).or_insert(found);
        }
    }

    /// Records how long the newest run into this directory took.
    pub fn record_took(&mut self, took: Took) {
        match self.later_runs.last_mut() {
            Some(later) => later.took = Some(took),
            None => self.took = Some(took),
        }
    }
}

/// One thing two environments are compared on, each side written out.
fn field<T: std::fmt::Debug>(what: &str, before: &T, after: &T) -> (String, String, String) {
    (
        what.to_string(),
        format!("{before:?}"),
        format!("{after:?}"),
    )
}

/// One implementation as this run found it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImplementationRecord {
    pub label: String,
    pub language: String,
    /// OS threads, stackful, stackless or event loop.
    pub model: String,
    /// For a variant: the implementation it changes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant_of: Option<String>,
    /// For another release of a runtime (`versions/`): the implementation whose program it
    /// builds against that release.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release_of: Option<String>,
    /// Its exact version (the version command's first line), when it could run.
    pub version: Option<String>,
    /// The command each cell ran, task count and sleep appended: every flag used.
    pub command: Vec<String>,
    /// Why it could not run here (no toolchain, a failed build), with what fixes it.
    pub unavailable: Option<String>,
    /// Where its memory per task goes, in one sentence (its manifest's).
    pub memory_note: Option<String>,
    /// The published program it stands for, which `--fidelity` runs beside it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<PublishedProgram>,
    /// Seconds this run spent checking its toolchain, building it and reading its version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prepare_s: Option<f64>,
}

/// A published program, as printed, that an implementation stands for.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PublishedProgram {
    /// Which publication printed it.
    pub what: String,
    /// The command each of its cells ran, task count and sleep appended.
    pub command: Vec<String>,
    /// Why ours is built otherwise, where it is on purpose.
    pub difference: Option<String>,
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
    use std::time::Duration;

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
            ImplementationRecord {
                label: "Go".into(),
                unavailable: Some("no toolchain: run scripts/install-peers.sh".into()),
                ..ImplementationRecord::default()
            },
        );
        env.meter.cgroup = Some("v1".into());
        let json = serde_json::to_string_pretty(&env).unwrap();
        assert!(
            !json.contains("later_runs") && !json.contains("took"),
            "a single run's record is as before"
        );
        assert_eq!(serde_json::from_str::<Env>(&json).unwrap(), env);
        env.add_later_run(Env::default());
        let json = serde_json::to_string_pretty(&env).unwrap();
        assert_eq!(serde_json::from_str::<Env>(&json).unwrap(), env);
    }

    /// How long a run took lands on that run: the first's own record, else the newest later
    /// run's.
    #[test]
    fn the_time_a_run_took_is_recorded_on_that_run() {
        let mut env = environment();
        let built = Some(Duration::from_secs(95));
        let took = Took::new(
            built,
            Duration::from_millis(4_321),
            Duration::from_millis(60_049),
        );
        assert_eq!(
            (took.building_s, took.preparing_s, took.cells_s),
            (Some(95.0), 4.3, 60.0)
        );
        env.record_took(took);
        assert_eq!(env.took, Some(took));
        env.add_later_run(environment());
        env.add_later_run(environment());
        let later = Took::new(None, Duration::ZERO, Duration::from_secs(2));
        env.record_took(later);
        assert_eq!(env.took, Some(took), "the first run's stays");
        assert_eq!(env.later_runs[0].took, None);
        assert_eq!(env.later_runs[1].took, Some(later));
        let json = serde_json::to_string_pretty(&env).unwrap();
        assert_eq!(serde_json::from_str::<Env>(&json).unwrap(), env);
    }

    fn environment() -> Env {
        let mut env = Env {
            date: "2026-01-01T00:00:00Z".into(),
            git_commit: Some("abc".into()),
            git_dirty: Some(false),
            cores: Some(2),
            command: "scripts/bench.sh --runtimes tokio".into(),
            ..Env::default()
        };
        env.limits.insert("kernel.pid_max".into(), "32768".into());
        env.limits.insert(THREADS_RUNNING.into(), "300".into());
        env.implementations.insert(
            "tokio".into(),
            ImplementationRecord {
                version: Some("tokio 1.54.1".into()),
                command: vec!["bench-tokio".into()],
                ..ImplementationRecord::default()
            },
        );
        env
    }

    #[test]
    fn another_date_command_reading_or_implementation_is_the_same_environment() {
        let first = environment();
        let mut later = environment();
        later.date = "2026-01-02T00:00:00Z".into();
        later.command = "scripts/bench.sh --runtimes smol".into();
        later.limits.insert(THREADS_RUNNING.into(), "412".into());
        later.memory_available_bytes = Some(1);
        later.implementations = BTreeMap::from([("smol".into(), ImplementationRecord::default())]);
        assert_eq!(first.differs_from(&later), None);

        let mut merged = first.clone();
        merged.add_later_run(later);
        assert_eq!(merged.date, first.date);
        assert_eq!(merged.later_runs.len(), 1);
        assert_eq!(
            merged.later_runs[0].command,
            "scripts/bench.sh --runtimes smol"
        );
        assert_eq!(
            merged.implementations.keys().collect::<Vec<_>>(),
            ["smol", "tokio"]
        );
    }

    #[test]
    fn another_commit_limit_or_version_is_another_environment_and_named() {
        let first = environment();
        let mut later = environment();
        later.git_commit = Some("def".into());
        assert_eq!(
            first.differs_from(&later).unwrap(),
            r#"git commit: Some("abc") then Some("def")"#
        );
        let mut later = environment();
        later
            .limits
            .insert("kernel.pid_max".into(), "4194304".into());
        assert_eq!(
            first.differs_from(&later).unwrap(),
            r#"kernel.pid_max: Some("32768") then Some("4194304")"#
        );
        let mut later = environment();
        later.implementations.get_mut("tokio").unwrap().version = Some("tokio 1.28.2".into());
        assert_eq!(
            first.differs_from(&later).unwrap(),
            r#"tokio's version: Some("tokio 1.54.1") then Some("tokio 1.28.2")"#
        );
    }
}
