//! Every figure a row of `results.jsonl` carries, declared once: its field, how a table heads
//! it, its unit and where it comes from. The report reads and shows each figure through its
//! declaration, and the README's table of figures is made from them; a test holds the row's
//! fields and these declarations together, so a figure added to the row and not declared here
//! fails it.

use crate::format::{seconds, MIB};
use crate::Row;

/// What a figure counts, which decides how it is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Shown in MiB, one decimal.
    Bytes,
    /// Shown as `0.52 s`, `17.0 s`.
    Seconds,
    /// Shown whole.
    Count,
}

impl Unit {
    /// Its name in the docs.
    pub fn name(self) -> &'static str {
        match self {
            Unit::Bytes => "bytes",
            Unit::Seconds => "seconds",
            Unit::Count => "count",
        }
    }
}

/// One figure of a row.
pub struct Metric {
    /// Its field in a row, dotted where it is nested: `kernel.total_peak_bytes`.
    pub field: &'static str,
    /// How a table heads its column.
    pub heading: &'static str,
    pub unit: Unit,
    /// Who takes it and how: one sentence for the docs.
    pub source: &'static str,
    /// Its value in a row, in its unit, where the row has it.
    read: fn(&Row) -> Option<f64>,
}

impl Metric {
    /// Its value in `row`, in its unit (bytes, seconds, a count), where the row has it.
    pub fn of(&self, row: &Row) -> Option<f64> {
        (self.read)(row)
    }

    /// A value in its unit as a table shows it: bytes in MiB, others as they are.
    pub fn scaled(&self, value: f64) -> f64 {
        match self.unit {
            Unit::Bytes => value / MIB,
            Unit::Seconds | Unit::Count => value,
        }
    }

    /// A value as scaled for a table, written: `47.2` (MiB), `0.52 s`, `12`; `–` for none.
    pub fn show(&self, scaled: Option<f64>) -> String {
        match (scaled, self.unit) {
            (None, _) => "–".into(),
            (Some(value), Unit::Bytes) => format!("{value:.1}"),
            (Some(value), Unit::Seconds) => seconds(value),
            (Some(value), Unit::Count) => format!("{value:.0}"),
        }
    }
}

/// The meter's reading of the process's peak: the figure of the article's table.
pub const PEAK_RSS: Metric = Metric {
    field: "peak_rss_bytes",
    heading: "peak resident",
    unit: Unit::Bytes,
    source: "the meter: the highest of the process's VmHWM as it exited and of every VmHWM and VmRSS it \
     read in /proc while the program ran",
    read: |row| row.measurement.peak_rss_bytes.map(|bytes| bytes as f64),
};

/// The program's own reading of its peak, where it gives one (the Rust binaries).
pub const SELF_PEAK_RSS: Metric = Metric {
    field: "self_peak_rss_bytes",
    heading: "the program's own peak",
    unit: Unit::Bytes,
    source:
        "the program: VmHWM and VmRSS from /proc/self/status when every task was spawned, at every \
     1,024th join and at the end (the Rust binaries)",
    read: |row| row.self_peak_rss_bytes.map(|bytes| bytes as f64),
};

pub const RU_MAXRSS: Metric = Metric {
    field: "ru_maxrss_bytes",
    heading: "ru_maxrss",
    unit: Unit::Bytes,
    source: "the meter: `getrusage` of the child as it ended (what `/usr/bin/time` shows), which carries \
     the parent's resident size across exec: shown beside the peak, never instead",
    read: |row| row.measurement.ru_maxrss_bytes.map(|bytes| bytes as f64),
};

pub const PAGE_TABLES: Metric = Metric {
    field: "page_tables_bytes",
    heading: "page tables",
    unit: Unit::Bytes,
    source: "the meter: the most VmPTE it read, the kernel's memory mapping the process's",
    read: |row| row.measurement.page_tables_bytes.map(|bytes| bytes as f64),
};

pub const CGROUP_TOTAL: Metric = Metric {
    field: "kernel.total_peak_bytes",
    heading: "cgroup total",
    unit: Unit::Bytes,
    source:
        "the run's own memory cgroup: its peak, the program's memory and what the kernel spent for \
     it (file pages cached before the run are charged to whoever read them first)",
    read: |row| Some(row.measurement.kernel.as_ref()?.total_peak_bytes as f64),
};

pub const KERNEL_PART: Metric = Metric {
    field: "kernel.kernel_peak_bytes",
    heading: "of which kernel",
    unit: Unit::Bytes,
    source:
        "the cgroup: `memory.kmem.max_usage_in_bytes` (v1), or the most of `memory.stat` `kernel` \
     seen (v2)",
    read: |row| {
        row.measurement
            .kernel
            .as_ref()?
            .kernel_peak_bytes
            .map(|bytes| bytes as f64)
    },
};

pub const KERNEL_STACKS: Metric = Metric {
    field: "kernel.kernel_stack_bytes",
    heading: "kernel stacks",
    unit: Unit::Bytes,
    source: "the cgroup (v2 only): the most of `memory.stat` `kernel_stack` seen",
    read: |row| {
        row.measurement
            .kernel
            .as_ref()?
            .kernel_stack_bytes
            .map(|bytes| bytes as f64)
    },
};

pub const CGROUP_PAGE_TABLES: Metric = Metric {
    field: "kernel.page_tables_bytes",
    heading: "cgroup page tables",
    unit: Unit::Bytes,
    source: "the cgroup (v2 only): the most of `memory.stat` `pagetables` seen",
    read: |row| {
        row.measurement
            .kernel
            .as_ref()?
            .page_tables_bytes
            .map(|bytes| bytes as f64)
    },
};

pub const SLAB: Metric = Metric {
    field: "kernel.slab_bytes",
    heading: "kernel objects",
    unit: Unit::Bytes,
    source: "the cgroup (v2 only): the most of `memory.stat` `slab` seen",
    read: |row| {
        row.measurement
            .kernel
            .as_ref()?
            .slab_bytes
            .map(|bytes| bytes as f64)
    },
};

pub const THREADS: Metric = Metric {
    field: "threads",
    heading: "threads",
    unit: Unit::Count,
    source: "the meter: the most OS threads of the process it saw at once",
    read: |row| row.measurement.threads.map(|count| count as f64),
};

pub const COMPLETED: Metric = Metric {
    field: "completed",
    heading: "completed",
    unit: Unit::Count,
    source: "the program's `done` event: tasks whose join succeeded, counted one by one",
    read: |row| row.measurement.completed.map(|count| count as f64),
};

pub const SPAWN: Metric = Metric {
    field: "spawn_s",
    heading: "launch",
    unit: Unit::Seconds,
    source: "the program's events: from its `start` until every task was spawned (`spawned`)",
    read: |row| row.measurement.spawn_s,
};

pub const WALL: Metric = Metric {
    field: "wall_s",
    heading: "total time",
    unit: Unit::Seconds,
    source: "the program's events: from its `start` until every task was joined (`done`)",
    read: |row| row.measurement.wall_s,
};

pub const PROCESS_WALL: Metric = Metric {
    field: "process_wall_s",
    heading: "process time",
    unit: Unit::Seconds,
    source: "the meter: from the start of the process to its end",
    read: |row| row.measurement.process_wall_s,
};

pub const USER_CPU: Metric = Metric {
    field: "user_s",
    heading: "user CPU",
    unit: Unit::Seconds,
    source: "the meter: `getrusage` of the child, CPU time in user mode",
    read: |row| row.measurement.user_s,
};

pub const SYSTEM_CPU: Metric = Metric {
    field: "sys_s",
    heading: "system CPU",
    unit: Unit::Seconds,
    source: "the meter: `getrusage` of the child, CPU time in the kernel",
    read: |row| row.measurement.sys_s,
};

pub const SAMPLES: Metric = Metric {
    field: "samples",
    heading: "readings",
    unit: Unit::Count,
    source: "the meter: readings of /proc it took while the program ran",
    read: |row| Some(row.measurement.samples as f64),
};

pub const HEAP_ALLOCATIONS: Metric = Metric {
    field: "heap.allocations",
    heading: "allocations",
    unit: Unit::Count,
    source: "the counting build: allocations made while spawning (a reallocation counts as one)",
    read: |row| Some(row.heap.as_ref()?.allocations as f64),
};

pub const HEAP_LIVE: Metric = Metric {
    field: "heap.live_bytes",
    heading: "live heap",
    unit: Unit::Bytes,
    source: "the counting build: heap bytes that spawning left live once every task was spawned",
    read: |row| Some(row.heap.as_ref()?.live_bytes as f64),
};

pub const HEAP_PEAK_LIVE: Metric = Metric {
    field: "heap.peak_live_bytes",
    heading: "peak live heap",
    unit: Unit::Bytes,
    source: "the counting build: the most heap bytes live at once while spawning",
    read: |row| Some(row.heap.as_ref()?.peak_live_bytes as f64),
};

/// Every figure of a row, in the order the docs list them.
pub const ALL: &[&Metric] = &[
    &PEAK_RSS,
    &SELF_PEAK_RSS,
    &RU_MAXRSS,
    &PAGE_TABLES,
    &CGROUP_TOTAL,
    &KERNEL_PART,
    &KERNEL_STACKS,
    &CGROUP_PAGE_TABLES,
    &SLAB,
    &THREADS,
    &COMPLETED,
    &SPAWN,
    &WALL,
    &PROCESS_WALL,
    &USER_CPU,
    &SYSTEM_CPU,
    &SAMPLES,
    &HEAP_ALLOCATIONS,
    &HEAP_LIVE,
    &HEAP_PEAK_LIVE,
];

/// The fields of a row that say what ran and how it went, not what was measured, and the one
/// that breaks a figure down (`heap.sizes`: the live heap by allocation size).
pub const NOT_FIGURES: &[&str] = &[
    "index",
    "repeat",
    "cell_tasks",
    "cell_sleep_s",
    "asked_sleep_s",
    "needed_sleep_s",
    "implementation",
    "runtime_version",
    "tasks",
    "sleep_s",
    "status",
    "error",
    "all_alive",
    "overlapped",
    "exit_code",
    "signal",
    "build",
    "workers",
    "kernel.cgroup",
    "heap.sizes",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::ok_row;
    use crate::Kernel;
    use serde_json::Value;

    /// A row with every field present, as JSON.
    fn full_row() -> Value {
        let mut row = ok_row("tokio", 1000, 1);
        row.self_peak_rss_bytes = Some(1);
        row.build = crate::Build::Counting;
        row.workers = Some(2);
        row.asked_sleep_s = Some(1.0);
        row.needed_sleep_s = Some(1.0);
        row.heap = Some(harness::heap::HeapOfTasks {
            sizes: vec![harness::heap::SizeCount::default()],
            ..Default::default()
        });
        row.measurement.kernel = Some(Kernel {
            cgroup: "v2".into(),
            total_peak_bytes: 1,
            kernel_peak_bytes: Some(1),
            kernel_stack_bytes: Some(1),
            page_tables_bytes: Some(1),
            slab_bytes: Some(1),
        });
        serde_json::to_value(row).unwrap()
    }

    /// The dotted path of every leaf of `value`, with the leaf.
    fn leaves<'v>(prefix: &str, value: &'v mut Value, out: &mut Vec<(String, &'v mut Value)>) {
        match value {
            Value::Object(fields) => {
                for (name, field) in fields.iter_mut() {
                    let path = match prefix {
                        "" => name.clone(),
                        _ => format!("{prefix}.{name}"),
                    };
                    leaves(&path, field, out);
                }
            }
            leaf => out.push((prefix.to_string(), leaf)),
        }
    }

    /// Every field of a row is a declared figure or named as no figure, and each declared
    /// figure reads its own field: a figure added to the row and not declared fails here, as
    /// does a declaration that reads another field than it names.
    #[test]
    fn every_figure_of_a_row_is_declared_once_and_reads_its_own_field() {
        let mut json = full_row();
        let mut found = Vec::new();
        let mut paths = Vec::new();
        leaves("", &mut json, &mut paths);
        for (number, (path, leaf)) in paths.into_iter().enumerate() {
            let declared: Vec<&Metric> = ALL.iter().copied().filter(|m| m.field == path).collect();
            match declared.as_slice() {
                [metric] => {
                    // A distinct value in each figure, so that one read from another's field
                    // shows.
                    let value = 1000 + number as u64;
                    *leaf = Value::from(value);
                    found.push((*metric, value as f64));
                }
                [] => assert!(
                    NOT_FIGURES.contains(&path.as_str()),
                    "a row's field `{path}` is neither declared in metric.rs nor in NOT_FIGURES"
                ),
                _ => panic!("`{path}` is declared {} times", declared.len()),
            }
        }
        let row: Row = serde_json::from_value(json).unwrap();
        for metric in ALL {
            let Some((_, value)) = found.iter().find(|(m, _)| m.field == metric.field) else {
                panic!("`{}` is declared but no field of a row", metric.field);
            };
            assert_eq!(
                metric.of(&row),
                Some(*value),
                "{} reads another field",
                metric.field
            );
        }
        for name in NOT_FIGURES {
            assert!(
                !ALL.iter().any(|m| m.field == *name),
                "{name} is both a figure and not"
            );
        }
    }

    #[test]
    fn each_unit_is_shown_as_the_tables_show_it() {
        assert_eq!(PEAK_RSS.show(Some(PEAK_RSS.scaled(47.25 * MIB))), "47.2");
        assert_eq!(SPAWN.show(Some(SPAWN.scaled(0.523))), "0.52 s");
        assert_eq!(THREADS.show(Some(THREADS.scaled(12.0))), "12");
        assert_eq!(THREADS.show(None), "–");
    }
}
