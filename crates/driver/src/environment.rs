//! `env.json`: the machine, toolchain, runtime versions, limits and source tree of a run.

use crate::preflight::limits_now;
use serde_json::{json, Map, Value};
use std::process::Command;

fn first_line_with(path: &str, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let line = text.lines().find(|line| line.starts_with(key))?;
    let value = line.split_once(['=', ':'])?.1.trim().trim_matches('"');
    Some(value.to_string())
}

fn command_output(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// Everything a reader needs to know about where and how the figures were made.
pub fn describe(command_line: &[String], limits_raised: bool) -> Value {
    let meminfo = |key: &str| {
        let kib = first_line_with("/proc/meminfo", key)?;
        kib.trim_end_matches("kB")
            .trim()
            .parse::<u64>()
            .ok()
            .map(|kib| kib * 1024)
    };
    let versions: Map<String, Value> = report::summary::RUNTIMES
        .iter()
        .map(|runtime| {
            (
                runtime.to_string(),
                json!(harness::runtime_version(runtime)),
            )
        })
        .collect();
    let limits: Map<String, Value> = limits_now()
        .into_iter()
        .map(|(name, value)| (name.to_string(), json!(value)))
        .collect();
    let commit = command_output("git", &["rev-parse", "HEAD"]);
    // Results being written are not a change to the code that measured them.
    let dirty = command_output("git", &["status", "--porcelain", "--", ".", ":!results"])
        .map(|s| !s.is_empty());
    json!({
        "date": humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
        "cpu_model": first_line_with("/proc/cpuinfo", "model name"),
        "cores": std::thread::available_parallelism().map(|n| n.get()).ok(),
        "memory_total_bytes": meminfo("MemTotal"),
        "memory_available_bytes": meminfo("MemAvailable"),
        "kernel": std::fs::read_to_string("/proc/sys/kernel/osrelease").ok().map(|s| s.trim().to_string()),
        "distribution": first_line_with("/etc/os-release", "PRETTY_NAME"),
        "rustc": harness::runtime_version("threads"),
        "runtime_versions": versions,
        "limits": limits,
        "limits_raised_for_the_run": limits_raised,
        "git_commit": commit,
        "git_dirty": dirty,
        "command": command_line.join(" "),
    })
}
