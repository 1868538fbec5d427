//! The results grouped into the article's table: one cell per runtime and task count, with
//! the repeats of that cell inside it.

use crate::results::Row;
use crate::stats::{fit_line, median};
use harness::report::MIB;
use harness::Report;
use std::collections::BTreeMap;

/// Every runtime of the workspace (a `crates/bench-<runtime>` each), in the article's order.
pub const RUNTIMES: &[&str] = &["threads", "tokio", "async-std", "smol", "glommio", "may"];

/// The repeats of one runtime at one task count.
#[derive(Debug, Default)]
pub struct Cell<'a> {
    pub rows: Vec<&'a Row>,
}

impl<'a> Cell<'a> {
    pub fn ok(&self) -> impl Iterator<Item = &'a Report> + '_ {
        self.rows
            .iter()
            .filter(|row| row.is_ok())
            .map(|row| &row.report)
    }

    /// The repeats that failed or were skipped.
    pub fn not_ok(&self) -> impl Iterator<Item = &'a Report> + '_ {
        self.rows
            .iter()
            .filter(|row| !row.is_ok())
            .map(|row| &row.report)
    }

    /// The median over the successful repeats of `value`.
    pub fn median(&self, value: impl Fn(&Report) -> f64) -> Option<f64> {
        median(&self.ok().map(value).collect::<Vec<_>>())
    }

    pub fn peak_mib(&self) -> Option<f64> {
        self.median(peak_mib)
    }

    /// The lowest and highest peak over the successful repeats.
    pub fn peak_mib_range(&self) -> Option<(f64, f64)> {
        let peaks = self.ok().map(peak_mib);
        peaks.fold(None, |range, peak| match range {
            None => Some((peak, peak)),
            Some((low, high)) => Some((f64::min(low, peak), f64::max(high, peak))),
        })
    }
}

pub fn peak_mib(report: &Report) -> f64 {
    report.peak_rss_bytes as f64 / MIB
}

pub struct Summary<'a> {
    /// Runtimes in the results, the workspace's first in the article's order.
    pub runtimes: Vec<String>,
    /// Task counts in the results, ascending.
    pub tasks: Vec<usize>,
    cells: BTreeMap<(String, usize), Cell<'a>>,
}

impl<'a> Summary<'a> {
    pub fn new(rows: &'a [Row]) -> Summary<'a> {
        let mut cells: BTreeMap<(String, usize), Cell> = BTreeMap::new();
        let mut runtimes: Vec<String> = Vec::new();
        for row in rows {
            let key = (row.report.runtime.clone(), row.report.tasks);
            cells.entry(key).or_default().rows.push(row);
            if !runtimes.contains(&row.report.runtime) {
                runtimes.push(row.report.runtime.clone());
            }
        }
        let rank = |name: &String| {
            RUNTIMES
                .iter()
                .position(|r| r == name)
                .unwrap_or(RUNTIMES.len())
        };
        runtimes.sort_by_key(rank);
        let mut tasks: Vec<usize> = cells.keys().map(|(_, tasks)| *tasks).collect();
        tasks.sort_unstable();
        tasks.dedup();
        Summary {
            runtimes,
            tasks,
            cells,
        }
    }

    pub fn cell(&self, runtime: &str, tasks: usize) -> Option<&Cell<'a>> {
        self.cells.get(&(runtime.to_string(), tasks))
    }

    /// The cost of one more task: the slope of the least-squares line of peak memory against
    /// tasks, over every successful repeat of `runtime`.
    pub fn bytes_per_task(&self, runtime: &str) -> Option<f64> {
        let points: Vec<(f64, f64)> = self
            .tasks
            .iter()
            .filter_map(|&tasks| self.cell(runtime, tasks))
            .flat_map(|cell| cell.ok())
            .map(|report| (report.tasks as f64, report.peak_rss_bytes as f64))
            .collect();
        fit_line(&points).map(|(_, slope)| slope)
    }

    /// The largest task count at which `runtime` succeeded, with its cell.
    pub fn largest_ok(&self, runtime: &str) -> Option<(usize, &Cell<'a>)> {
        self.tasks.iter().rev().find_map(|&tasks| {
            let cell = self.cell(runtime, tasks)?;
            cell.peak_mib().map(|_| (tasks, cell))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::tests::row;
    use harness::report::Status;

    #[test]
    fn cells_group_repeats_and_take_the_median_of_those_that_succeeded() {
        let rows = vec![
            row("tokio", 1000, 5.0, Status::Ok),
            row("tokio", 1000, 9.0, Status::Ok),
            row("tokio", 1000, 6.0, Status::Ok),
            row("tokio", 1000, 0.0, Status::Failed),
            row("zeta", 1, 2.0, Status::Ok),
            row("threads", 1, 2.0, Status::Ok),
        ];
        let summary = Summary::new(&rows);
        assert_eq!(summary.runtimes, ["threads", "tokio", "zeta"]);
        assert_eq!(summary.tasks, [1, 1000]);
        let cell = summary.cell("tokio", 1000).unwrap();
        assert_eq!(cell.peak_mib(), Some(6.0));
        assert_eq!(cell.peak_mib_range(), Some((5.0, 9.0)));
        assert_eq!(cell.not_ok().count(), 1);
        assert!(summary.cell("tokio", 1).is_none());
    }

    #[test]
    fn bytes_per_task_is_the_slope_over_successful_cells() {
        let rows = vec![
            row("tokio", 1, 3.0, Status::Ok),
            row(
                "tokio",
                1_000_000,
                3.0 + 1_000_000.0 * 450.0 / MIB,
                Status::Ok,
            ),
            row("tokio", 10_000_000, 0.0, Status::Failed),
        ];
        let summary = Summary::new(&rows);
        let slope = summary.bytes_per_task("tokio").unwrap();
        assert!((slope - 450.0).abs() < 1.0, "{slope}");
        assert_eq!(summary.largest_ok("tokio").unwrap().0, 1_000_000);
        assert_eq!(Summary::new(&rows[..1]).bytes_per_task("tokio"), None);
    }

    /// Every runtime here is a crate of the workspace, and every bench crate is listed.
    #[test]
    fn runtimes_match_the_bench_crates() {
        let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut found: Vec<String> = std::fs::read_dir(crates)
            .unwrap()
            .filter_map(|entry| {
                entry
                    .ok()?
                    .file_name()
                    .to_str()?
                    .strip_prefix("bench-")
                    .map(String::from)
            })
            .collect();
        found.sort();
        let mut listed: Vec<String> = RUNTIMES.iter().map(|r| r.to_string()).collect();
        listed.sort();
        assert_eq!(found, listed);
    }
}
