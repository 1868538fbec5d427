//! One measurement of one program run, as the meter takes it from outside, and the row of
//! `results.jsonl` that places it in a run.
//!
//! The field names are those of the line a bench binary prints about itself
//! (`harness::Report`), with the same meanings, so that a reader of one reads the other;
//! what a meter outside can see and a program cannot (the kernel's share, the exit) is added.

use crate::format::{mib, seconds};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Failed,
    /// Not run: the driver's, for a cell that cannot fit the machine or has no toolchain.
    Skipped,
}

/// What the kernel spent on the run, from a memory cgroup of its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Kernel {
    /// `v1` or `v2`.
    pub cgroup: String,
    /// The cgroup's peak: the program's memory and the kernel's for it, page cache included.
    pub total_peak_bytes: u64,
    /// The kernel's part at its peak: `memory.kmem.max_usage_in_bytes` (v1), or the most of
    /// `memory.stat` `kernel` seen (v2).
    pub kernel_peak_bytes: Option<u64>,
    /// The most seen of each part, where the kernel breaks it down (v2 `memory.stat`).
    pub kernel_stack_bytes: Option<u64>,
    pub page_tables_bytes: Option<u64>,
    pub slab_bytes: Option<u64>,
}

/// One program run, measured from outside.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measurement {
    /// The implementation measured (a folder's name), or the command's name. Results written
    /// before it had this name call it `runtime`.
    #[serde(alias = "runtime")]
    pub implementation: String,
    /// Its exact version, where known.
    pub runtime_version: Option<String>,
    /// What the program said it runs (its `start` event).
    pub tasks: Option<usize>,
    pub sleep_s: Option<f64>,
    pub status: Status,
    /// Why it failed or was skipped; null when ok.
    pub error: Option<String>,
    /// Tasks the program joined successfully, counted by it (its `done` event).
    pub completed: Option<usize>,
    /// From its `start` event to its `spawned` event.
    pub spawn_s: Option<f64>,
    /// From its `start` event to its `done` event.
    pub wall_s: Option<f64>,
    /// Spawning took less than one sleep, so every task was alive at the same moment; unknown
    /// (null) for a program that does not speak the launch protocol.
    pub all_alive: Option<bool>,
    /// The sleeps ran side by side: wall_s >= sleep and, for 2 tasks or more, < spawn_s + 2
    /// sleeps; unknown (null) as above.
    pub overlapped: Option<bool>,
    /// The peak resident memory of the process alone: the highest of its VmHWM when it ended
    /// and of every VmHWM and VmRSS read while it ran.
    pub peak_rss_bytes: Option<u64>,
    /// The child's `ru_maxrss`, which on Linux starts from the parent's size at exec.
    pub ru_maxrss_bytes: Option<u64>,
    pub user_s: Option<f64>,
    pub sys_s: Option<f64>,
    /// The most OS threads seen at once.
    pub threads: Option<u64>,
    /// The most VmPTE (the process's page tables) seen.
    pub page_tables_bytes: Option<u64>,
    /// The kernel's share, where the run had a memory cgroup of its own.
    pub kernel: Option<Kernel>,
    /// From the start of the process to its end.
    pub process_wall_s: Option<f64>,
    /// How the process ended: its exit code, or the signal that killed it.
    pub exit_code: Option<i32>,
    pub signal: Option<i32>,
    /// Readings of /proc taken while it ran.
    pub samples: u64,
}

impl Measurement {
    /// A run with no measurement: skipped, or failed before anything could be read.
    pub fn unmeasured(implementation: &str, status: Status, why: String) -> Measurement {
        Measurement {
            implementation: implementation.to_string(),
            runtime_version: None,
            tasks: None,
            sleep_s: None,
            status,
            error: Some(why),
            completed: None,
            spawn_s: None,
            wall_s: None,
            all_alive: None,
            overlapped: None,
            peak_rss_bytes: None,
            ru_maxrss_bytes: None,
            user_s: None,
            sys_s: None,
            threads: None,
            page_tables_bytes: None,
            kernel: None,
            process_wall_s: None,
            exit_code: None,
            signal: None,
            samples: 0,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a measurement always serialises")
    }

    pub fn is_ok(&self) -> bool {
        self.status == Status::Ok
    }
}

/// The summary line for people, such as
/// `tokio: 100000 tasks, peak 47.2 MiB (494 B/task), total 52.1 MiB of which kernel 3.1 MiB, spawned in 0.10 s, done in 10.11 s`.
impl fmt::Display for Measurement {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}: ", self.implementation)?;
        if let Some(tasks) = self.tasks {
            write!(f, "{tasks} tasks, ")?;
        }
        if self.status != Status::Ok {
            let word = match self.status {
                Status::Skipped => "SKIPPED",
                _ => "FAILED",
            };
            return write!(f, "{word}: {}", self.error.as_deref().unwrap_or(""));
        }
        if let Some(peak) = self.peak_rss_bytes {
            write!(f, "peak {:.1} MiB", mib(peak))?;
            if let Some(tasks) = self.tasks.filter(|&t| t > 0) {
                write!(f, " ({} B/task)", peak / tasks as u64)?;
            }
        }
        if let Some(kernel) = &self.kernel {
            write!(f, ", total {:.1} MiB", mib(kernel.total_peak_bytes))?;
            if let Some(part) = kernel.kernel_peak_bytes {
                write!(f, " of which kernel {:.1} MiB", mib(part))?;
            }
        }
        if let (Some(spawn), Some(wall)) = (self.spawn_s, self.wall_s) {
            write!(
                f,
                ", spawned in {}, done in {}",
                seconds(spawn),
                seconds(wall)
            )?;
        } else if let Some(wall) = self.process_wall_s {
            write!(f, ", ran {} (no launch events)", seconds(wall))?;
        }
        if let (Some(tasks), Some(sleep)) = (self.tasks, self.sleep_s) {
            if self.overlapped == Some(false) {
                write!(
                    f,
                    "; WARNING: the tasks did not overlap (sleeps of {sleep} s)"
                )?;
            }
            if self.all_alive == Some(false) && tasks > 0 {
                write!(
                    f,
                    "; WARNING: not all tasks were alive at once (spawning took longer than one \
                     sleep), so this peak is below that of {tasks} live tasks"
                )?;
            }
        }
        Ok(())
    }
}

/// One cell of one run of the driver: a measurement, where it stands in the run, and what the
/// program said of its own peak where it says it (the Rust binaries do).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Position in the run, from 1.
    pub index: usize,
    /// Which repeat of this cell, from 1.
    pub repeat: usize,
    /// What was asked of the cell; the measurement says what the program reported.
    pub cell_tasks: usize,
    pub cell_sleep_s: f64,
    /// Where the cell slept longer than the run's sleep at its count, so that every task was
    /// alive at once (its launch was long): that sleep.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asked_sleep_s: Option<f64>,
    /// Where every task could not be alive at once within the cell's timeout: the sleep that
    /// would have been needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub needed_sleep_s: Option<f64>,
    #[serde(flatten)]
    pub measurement: Measurement,
    /// The program's own reading of its peak (VmHWM and VmRSS read from inside), beside the
    /// meter's: the two are independent readings of one run.
    pub self_peak_rss_bytes: Option<u64>,
    /// Which build ran, written only when not the default one.
    #[serde(default, skip_serializing_if = "Build::is_default")]
    pub build: Build,
    /// The worker threads the driver gave the runtime (`--workers`); none: its own default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workers: Option<u32>,
    /// Whether another cell ran beside it (in their sleeps), written only when one did.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub beside_others: bool,
    /// What the launch cost in the heap, from a build that counts its allocations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heap: Option<harness::heap::HeapOfTasks>,
}

/// Which build of an implementation a row measured, named in rows as its `Display` says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Build {
    /// The one every table shows.
    #[default]
    #[serde(rename = "default")]
    Default,
    /// The one whose allocator counts (`--allocations`): where the memory goes.
    #[serde(rename = "counting allocator")]
    Counting,
    /// The published program it stands for, as printed (`--fidelity`).
    #[serde(rename = "published program")]
    Published,
}

impl Build {
    pub fn is_default(&self) -> bool {
        *self == Build::Default
    }
}

impl fmt::Display for Build {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(match self {
            Build::Default => "default build",
            Build::Counting => "counting allocator",
            Build::Published => "published program",
        })
    }
}

impl Row {
    pub fn is_ok(&self) -> bool {
        self.measurement.is_ok()
    }

    /// Whether the default build made it: the figures of the article's table.
    pub fn is_default_build(&self) -> bool {
        self.build.is_default()
    }

    /// Whether the default build made it at the runtime's own worker count: the figures of
    /// the article's table.
    pub fn is_default_run(&self) -> bool {
        self.is_default_build() && self.workers.is_none()
    }

    /// Whether it measured the published program its implementation stands for.
    pub fn is_published_program(&self) -> bool {
        self.build == Build::Published
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::ok_row;

    /// A row names its build as rows always have: nothing for the default one, `counting
    /// allocator` or `published program` for the others; rows written before it was an enum
    /// read the same.
    #[test]
    fn a_rows_build_is_written_and_read_as_before() {
        let mut row = ok_row("tokio", 1000, 1 << 20);
        let default = serde_json::to_value(&row).unwrap();
        assert!(default.get("build").is_none(), "{default}");
        for (build, name) in [
            (Build::Counting, "counting allocator"),
            (Build::Published, "published program"),
        ] {
            row.build = build;
            let written = serde_json::to_value(&row).unwrap();
            assert_eq!(written["build"], name);
            let read: Row = serde_json::from_value(written).unwrap();
            assert_eq!((read.build, build.to_string()), (build, name.to_string()));
        }
        let read: Row = serde_json::from_value(default).unwrap();
        assert!(read.is_default_build());
    }

    /// The meter's line keeps the field names of a bench binary's own line, but for the name:
    /// the binary says which runtime it is on (`runtime`), the meter which implementation it
    /// measured (`implementation`), and reads the former as the latter.
    #[test]
    fn a_measurement_has_every_field_of_a_binarys_report() {
        let report = harness::Report {
            runtime: "tokio".into(),
            tasks: 1,
            sleep_s: 1.0,
            status: harness::report::ReportStatus::Ok,
            error: None,
            completed: 1,
            spawn_s: 0.0,
            wall_s: 1.0,
            all_alive: true,
            overlapped: true,
            peak_rss_bytes: 1,
            ru_maxrss_bytes: 1,
            user_s: 0.0,
            sys_s: 0.0,
            threads: 1,
            page_tables_bytes: 1,
            runtime_version: "1".into(),
            heap: None,
        };
        let theirs = serde_json::to_value(&report).unwrap();
        let ours = serde_json::to_value(ok_row("tokio", 1, 1 << 20).measurement).unwrap();
        for field in theirs.as_object().unwrap().keys() {
            let field = match field.as_str() {
                "runtime" => "implementation",
                other => other,
            };
            assert!(ours.get(field).is_some(), "{field} is missing");
        }
        // A row written before the field had its name still reads.
        let mut old = ours.as_object().unwrap().clone();
        let name = old.remove("implementation").unwrap();
        old.insert("runtime".into(), name);
        let read: Measurement = serde_json::from_value(old.into()).unwrap();
        assert_eq!(read.implementation, "tokio");
    }

    #[test]
    fn rows_round_trip_through_json() {
        let mut row = ok_row("smol", 1000, 7 << 19);
        row.self_peak_rss_bytes = Some(3 << 20);
        row.measurement.kernel = Some(Kernel {
            cgroup: "v1".into(),
            total_peak_bytes: 5 << 20,
            kernel_peak_bytes: Some(1 << 20),
            kernel_stack_bytes: None,
            page_tables_bytes: None,
            slab_bytes: None,
        });
        let json = serde_json::to_string(&row).unwrap();
        assert!(json.contains("\"status\":\"ok\"") && json.contains("\"cgroup\":\"v1\""));
        assert_eq!(serde_json::from_str::<Row>(&json).unwrap(), row);
    }

    #[test]
    fn the_summary_line_says_what_people_need() {
        let mut row = ok_row("tokio", 100_000, (47.2 * crate::format::MIB) as u64);
        row.measurement.spawn_s = Some(0.1);
        row.measurement.wall_s = Some(10.11);
        assert_eq!(
            row.measurement.to_string(),
            "tokio: 100000 tasks, peak 47.2 MiB (494 B/task), spawned in 0.10 s, done in 10.1 s"
        );
        row.measurement.all_alive = Some(false);
        row.measurement.overlapped = Some(false);
        let line = row.measurement.to_string();
        assert!(line.contains("did not overlap") && line.contains("not all tasks were alive"));
        let failed = Measurement::unmeasured("may", Status::Failed, "crashed".into());
        assert_eq!(failed.to_string(), "may: FAILED: crashed");
    }
}
