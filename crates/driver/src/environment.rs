//! `env.json`: the machine, each implementation's toolchain and exact version, the limits,
//! how the meter measured, and the source tree of a run.

use crate::host::{first_line_with, limits_now, meminfo};
use crate::prepare::Readiness;
use catalog::Implementation;
use results::env::{ImplementationRecord, Meter, PublishedProgram};
use results::Env;
use std::collections::BTreeMap;
use std::process::Command;
use std::time::Duration;

fn command_output(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// An implementation as this run found it: its version, or why it cannot run here, and how
/// long preparing it took.
pub fn found(
    implementation: &Implementation,
    readiness: &Readiness,
    prepared: Option<Duration>,
) -> ImplementationRecord {
    let manifest = &implementation.manifest;
    let mut command = implementation.display(&implementation.expand(manifest.run()));
    command.extend(["<TASKS>".into(), "--sleep".into(), "<SECONDS>".into()]);
    let published = manifest.published().map(|published| {
        let mut command = implementation.display(&implementation.expand(&published.run));
        command.extend(["<TASKS>".into(), "<SECONDS>".into()]);
        PublishedProgram {
            what: published.what.clone(),
            command,
            difference: published.difference.clone(),
        }
    });
    ImplementationRecord {
        label: implementation.label().to_string(),
        language: manifest.language().to_string(),
        model: manifest.model().describe().to_string(),
        variant_of: manifest.variant_of().map(str::to_string),
        release_of: manifest.release_of().map(str::to_string),
        version: readiness.version().map(str::to_string),
        command,
        unavailable: readiness.why_not().map(str::to_string),
        memory_note: manifest.memory_note().map(str::to_string),
        published,
        prepare_s: prepared.map(results::env::tenths),
    }
}

/// Everything a reader needs to know about where and how the figures were made.
pub fn describe(
    command_line: &[String],
    limits_raised: bool,
    implementations: BTreeMap<String, ImplementationRecord>,
    interval: Duration,
    cells_at_once: usize,
) -> Env {
    // Results being written are not a change to the code that measured them.
    let dirty = command_output("git", &["status", "--porcelain", "--", ".", ":!results"])
        .map(|s| !s.is_empty());
    let cgroup = meter::cgroup_version().map_err(|why| why.to_string());
    Env {
        date: humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
        cpu_model: first_line_with("/proc/cpuinfo", "model name"),
        cores: std::thread::available_parallelism().map(|n| n.get()).ok(),
        memory_total_bytes: meminfo("MemTotal"),
        memory_available_bytes: meminfo("MemAvailable"),
        kernel: std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .ok()
            .map(|s| s.trim().to_string()),
        distribution: first_line_with("/etc/os-release", "PRETTY_NAME"),
        rustc: Some(harness::runtime_version("threads").to_string()),
        implementations,
        limits: limits_now()
            .into_iter()
            .map(|(name, value)| (name.to_string(), value))
            .collect(),
        limits_raised_for_the_run: limits_raised,
        meter: Meter {
            sample_interval_ms: interval.as_millis() as u64,
            cgroup: cgroup.clone().ok(),
            cgroup_unavailable: cgroup.err(),
            exit_reading_unavailable: meter::exit_reading_unavailable(),
        },
        git_commit: command_output("git", &["rev-parse", "HEAD"]),
        git_dirty: dirty,
        command: command_line.join(" "),
        cells_at_once,
        later_runs: Vec::new(),
        took: None,
    }
}
