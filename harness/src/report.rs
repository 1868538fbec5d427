//! The result of one run as the program measured it itself: one JSON line for tools (stdout),
//! one summary line for people (stderr).

use serde::{Deserialize, Serialize};
use std::fmt;

/// One run's measurement. The field names are fixed: the driver and the report read them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub runtime: String,
    pub tasks: usize,
    pub sleep_s: f64,
    pub status: ReportStatus,
    pub error: Option<String>,
    /// Tasks whose join succeeded, counted one by one.
    pub completed: usize,
    /// From the start until every task was spawned.
    pub spawn_s: f64,
    /// From the start until every task was joined.
    pub wall_s: f64,
    /// Spawning took less than one sleep, so every task was alive at the same moment.
    pub all_alive: bool,
    /// The sleeps ran side by side: see [`overlapped`].
    pub overlapped: bool,
    /// VmHWM: the peak resident memory of this process alone.
    pub peak_rss_bytes: u64,
    /// getrusage's ru_maxrss, which on Linux includes the parent's resident size at exec.
    pub ru_maxrss_bytes: u64,
    pub user_s: f64,
    pub sys_s: f64,
    /// OS threads of the process once every task was spawned.
    pub threads: u64,
    /// VmPTE once every task was spawned.
    pub page_tables_bytes: u64,
    pub runtime_version: String,
    /// Only in a build with the counting allocator: what the launch cost in the heap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heap: Option<crate::heap::HeapOfTasks>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportStatus {
    Ok,
    Failed,
}

/// Exit codes of every bench binary.
/// The exit codes of every program of the project, the measured binaries and the tools.
pub mod exit {
    pub const OK: i32 = 0;
    /// The run failed, or another error.
    pub const FAILED: i32 = 1;
    /// Bad usage: one line names the bad value.
    pub const USAGE: i32 = 2;
    /// An OS limit stopped the run: one line names it, its value, the value needed and how
    /// to raise it.
    pub const OS_LIMIT: i32 = 3;
    /// Stopped by Ctrl-C (128 + SIGINT, as a shell reports it).
    pub const INTERRUPTED: i32 = 130;
}

/// The share of one sleep a run may seem short of it by and still have slept it whole: the
/// meter stamps each launch event as it reads it, and on a busy machine it reads one a few
/// milliseconds late (glommio, whose own clock says 1.0011 s, was seen at 0.99994 s).
pub const STAMPING_ALLOWANCE: f64 = 0.1;

/// Whether sleeps of `sleep_s` over `tasks` tasks ran side by side rather than one after
/// another: the run took one sleep (less the stamping allowance) and, for two tasks or more,
/// less than its launch and two sleeps.
pub fn overlapped(tasks: usize, sleep_s: f64, spawn_s: f64, wall_s: f64) -> bool {
    let slept = wall_s >= sleep_s * (1.0 - STAMPING_ALLOWANCE);
    tasks == 0 || (slept && (tasks == 1 || wall_s < spawn_s + 2.0 * sleep_s))
}

impl Report {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a report always serialises")
    }
}

pub const MIB: f64 = 1024.0 * 1024.0;

/// The summary line, e.g. `tokio: 100000 tasks, peak 47.2 MiB (494 B/task), spawned in 0.10 s, done in 10.11 s`.
impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let peak_mib = self.peak_rss_bytes as f64 / MIB;
        write!(f, "{}: {} tasks, ", self.runtime, self.tasks)?;
        if let Some(error) = &self.error {
            return write!(f, "FAILED: {error}");
        }
        write!(f, "peak {peak_mib:.1} MiB")?;
        if self.tasks > 0 {
            write!(f, " ({} B/task)", self.peak_rss_bytes / self.tasks as u64)?;
        }
        write!(
            f,
            ", spawned in {:.2} s, done in {:.2} s",
            self.spawn_s, self.wall_s
        )?;
        if self.completed < self.tasks {
            write!(f, "; FAILED: only {} tasks completed", self.completed)?;
        }
        if !self.overlapped {
            write!(
                f,
                "; WARNING: the tasks did not overlap ({:.2} s for sleeps of {} s)",
                self.wall_s, self.sleep_s
            )?;
        }
        if !self.all_alive && self.tasks > 0 {
            write!(
                f,
                "; WARNING: not all tasks were alive at once (spawning took longer than one sleep), \
                 so this peak is below that of {} live tasks",
                self.tasks
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn sample() -> Report {
        Report {
            runtime: "tokio".into(),
            tasks: 100_000,
            sleep_s: 10.0,
            status: ReportStatus::Ok,
            error: None,
            completed: 100_000,
            spawn_s: 0.1,
            wall_s: 10.11,
            all_alive: true,
            overlapped: true,
            peak_rss_bytes: 49_492_787,
            ru_maxrss_bytes: 50_000_000,
            user_s: 0.5,
            sys_s: 0.2,
            threads: 3,
            page_tables_bytes: 200_000,
            runtime_version: "1.54.1".into(),
            heap: None,
        }
    }

    #[test]
    fn json_has_the_fixed_field_names_and_round_trips() {
        let report = sample();
        let json = report.to_json();
        for field in [
            "runtime",
            "tasks",
            "sleep_s",
            "status",
            "error",
            "completed",
            "spawn_s",
            "wall_s",
            "peak_rss_bytes",
            "ru_maxrss_bytes",
            "user_s",
            "sys_s",
            "threads",
            "page_tables_bytes",
            "runtime_version",
            "all_alive",
        ] {
            assert!(
                json.contains(&format!("\"{field}\":")),
                "{field} missing from {json}"
            );
        }
        assert!(json.contains("\"status\":\"ok\"") && json.contains("\"error\":null"));
        assert!(
            !json.contains("heap"),
            "the default build's line has no heap figures"
        );
        assert_eq!(serde_json::from_str::<Report>(&json).unwrap(), report);
    }

    #[test]
    fn summary_line_reads_like_the_example() {
        assert_eq!(
            sample().to_string(),
            "tokio: 100000 tasks, peak 47.2 MiB (494 B/task), spawned in 0.10 s, done in 10.11 s"
        );
    }

    #[test]
    fn summary_line_flags_failures_and_broken_overlap() {
        let mut report = sample();
        report.completed = 99_999;
        report.overlapped = false;
        report.all_alive = false;
        let line = report.to_string();
        assert!(
            line.contains("FAILED: only 99999 tasks completed"),
            "{line}"
        );
        assert!(line.contains("did not overlap"), "{line}");
        assert!(line.contains("not all tasks were alive at once"), "{line}");
    }

    #[test]
    fn overlap_needs_the_sleep_and_less_than_two_sleeps_after_spawning() {
        assert!(overlapped(1000, 1.0, 0.1, 1.05));
        assert!(
            !overlapped(1000, 1.0, 0.1, 0.5),
            "finished before one sleep: nothing slept"
        );
        assert!(
            !overlapped(1000, 1.0, 0.1, 3.0),
            "sleeps ran one after another"
        );
        assert!(overlapped(1, 1.0, 0.0, 1.0));
        assert!(overlapped(0, 1.0, 0.0, 0.0));
        assert!(
            overlapped(2000, 1.0, 0.01, 0.99994),
            "a start event read a little late"
        );
    }
}
