//! The results grouped into the article's table: one cell per implementation and task count,
//! with the repeats of that cell inside it.

use results::metric::PEAK_RSS;
use results::stats::{fit_line, median};
use results::{Build, Measurement, Metric, Results, Row, Status};
use std::collections::BTreeMap;

/// The repeats of one implementation at one task count.
#[derive(Debug, Default)]
pub struct Cell<'a> {
    pub rows: Vec<&'a Row>,
}

impl<'a> Cell<'a> {
    /// The measurements of the repeats that succeeded.
    pub fn ok(&self) -> impl Iterator<Item = &'a Measurement> + '_ {
        self.rows
            .iter()
            .filter(|row| row.is_ok())
            .map(|row| &row.measurement)
    }

    /// The repeats that failed or were skipped.
    pub fn not_ok(&self) -> impl Iterator<Item = &'a Measurement> + '_ {
        self.rows
            .iter()
            .filter(|row| !row.is_ok())
            .map(|row| &row.measurement)
    }

    /// The median of `metric` over the successful repeats that have it, as a table shows it
    /// (bytes in MiB).
    pub fn median(&self, metric: &Metric) -> Option<f64> {
        median(&self.shown(metric).collect::<Vec<_>>())
    }

    /// The lowest and highest of `metric` over the successful repeats, as shown.
    pub fn range(&self, metric: &Metric) -> Option<(f64, f64)> {
        self.shown(metric).fold(None, |range, value| match range {
            None => Some((value, value)),
            Some((low, high)) => Some((f64::min(low, value), f64::max(high, value))),
        })
    }

    /// The most of `metric` over the successful repeats, as shown.
    pub fn most(&self, metric: &Metric) -> Option<f64> {
        self.range(metric).map(|(_, high)| high)
    }

    fn shown<'m>(&self, metric: &'m Metric) -> impl Iterator<Item = f64> + use<'a, '_, 'm> {
        self.rows
            .iter()
            .filter(|row| row.is_ok())
            .filter_map(|row| Some(metric.scaled(metric.of(row)?)))
    }
}

/// The task count the findings are about: the article's largest.
pub const MILLION: usize = 1_000_000;

/// Why a cell has no figure, in a few words: skipped or failed, and the first clause of why.
pub fn short_reason(cell: Option<&Cell>) -> String {
    let Some(problem) = cell.and_then(|cell| cell.not_ok().next()) else {
        return "not run".into();
    };
    let word = match problem.status {
        Status::Skipped => "skipped",
        _ => "failed",
    };
    let why = problem.error.as_deref().unwrap_or("");
    let first = why.split([':', '(', ';']).next().unwrap_or("").trim();
    match first.is_empty() {
        true => word.into(),
        false => format!("{word}: {first}"),
    }
}

/// Which runs one cell gathers: one implementation's at one task count, of one build, at one
/// worker count (none: its own).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    implementation: String,
    tasks: usize,
    build: Build,
    workers: Option<u32>,
}

impl Key {
    fn new(implementation: &str, tasks: usize, build: Build, workers: Option<u32>) -> Key {
        let implementation = implementation.to_string();
        Key {
            implementation,
            tasks,
            build,
            workers,
        }
    }

    fn is_default_run(&self) -> bool {
        self.build == Build::Default && self.workers.is_none()
    }
}

pub struct Summary<'a> {
    /// Implementations in the order the run met them (the catalog's order).
    pub implementations: Vec<String>,
    /// Task counts in the results, ascending.
    pub tasks: Vec<usize>,
    /// The runs of every cell but the counting build's, which has a section of its own.
    cells: BTreeMap<Key, Cell<'a>>,
    results: &'a Results,
}

impl<'a> Summary<'a> {
    /// The count the answer is given at: a million where the run has it, else its largest.
    pub fn answer_tasks(&self) -> Option<usize> {
        match self.tasks.contains(&MILLION) {
            true => Some(MILLION),
            false => self.tasks.last().copied(),
        }
    }

    pub fn new(results: &'a Results) -> Summary<'a> {
        let mut cells: BTreeMap<Key, Cell> = BTreeMap::new();
        let mut implementations: Vec<String> = Vec::new();
        for row in results
            .rows
            .iter()
            .filter(|row| row.build != Build::Counting)
        {
            let implementation = &row.measurement.implementation;
            if row.is_default_run() && !implementations.contains(implementation) {
                implementations.push(implementation.clone());
            }
            let key = Key::new(implementation, row.cell_tasks, row.build, row.workers);
            cells.entry(key).or_default().rows.push(row);
        }
        // The article's table is the default builds' at their own worker counts.
        let default_runs = cells.keys().filter(|key| key.is_default_run());
        let mut tasks: Vec<usize> = default_runs.map(|key| key.tasks).collect();
        tasks.sort_unstable();
        tasks.dedup();
        Summary {
            implementations,
            tasks,
            cells,
            results,
        }
    }

    /// The worker counts the driver set in this run (`--workers`), ascending.
    pub fn worker_counts(&self) -> Vec<u32> {
        let mut counts: Vec<u32> = self.cells.keys().filter_map(|key| key.workers).collect();
        counts.sort_unstable();
        counts.dedup();
        counts
    }

    /// The runs of `implementation` at `tasks` given `workers` worker threads.
    pub fn workers_cell(
        &self,
        implementation: &str,
        tasks: usize,
        workers: u32,
    ) -> Option<&Cell<'a>> {
        let key = Key::new(implementation, tasks, Build::Default, Some(workers));
        self.cells.get(&key)
    }

    /// The runs of the published program `runtime` stands for, at `tasks`.
    pub fn published_cell(&self, implementation: &str, tasks: usize) -> Option<&Cell<'a>> {
        let key = Key::new(implementation, tasks, Build::Published, None);
        self.cells.get(&key)
    }

    /// The published program `runtime` stands for, as env.json records it.
    pub fn published_program(
        &self,
        implementation: &str,
    ) -> Option<&'a results::env::PublishedProgram> {
        let found = self.results.env.implementations.get(implementation)?;
        found.published.as_ref()
    }

    pub fn cell(&self, implementation: &str, tasks: usize) -> Option<&Cell<'a>> {
        let key = Key::new(implementation, tasks, Build::Default, None);
        self.cells.get(&key)
    }

    /// How the tables name an implementation: its label from env.json, else its name.
    pub fn label(&self, implementation: &str) -> String {
        self.results
            .env
            .implementations
            .get(implementation)
            .map_or(implementation.to_string(), |i| i.label.clone())
    }

    /// Its language, from env.json (empty when unknown).
    pub fn language(&self, implementation: &str) -> &'a str {
        let found = self.results.env.implementations.get(implementation);
        found.map_or("", |i| i.language.as_str())
    }

    /// Its other releases in this run (`versions/`), in the run's order.
    pub fn releases_of(&self, implementation: &str) -> Vec<&str> {
        let env = &self.results.env.implementations;
        self.implementations
            .iter()
            .filter(|name| {
                env.get(name.as_str())
                    .is_some_and(|found| found.release_of.as_deref() == Some(implementation))
            })
            .map(String::as_str)
            .collect()
    }

    /// Whether it is another release of an implementation of this run.
    pub fn is_release(&self, implementation: &str) -> bool {
        let found = self.results.env.implementations.get(implementation);
        found.is_some_and(|found| found.release_of.is_some())
    }

    /// For a variant, the implementation it changes, from env.json.
    pub fn variant_of(&self, implementation: &str) -> Option<&'a str> {
        let found = self.results.env.implementations.get(implementation)?;
        found.variant_of.as_deref()
    }

    /// The first successful run of `runtime` at `tasks` with its timeline: how its memory moved.
    pub fn timeline(
        &self,
        implementation: &str,
        tasks: usize,
    ) -> Option<&'a results::timeline::Timeline> {
        let cell = self.cell(implementation, tasks)?;
        let timelines = &self.results.timelines;
        cell.rows
            .iter()
            .filter(|row| row.is_ok())
            .find_map(|row| timelines.get(&row.index))
    }

    /// Its exact version: from env.json, else from its rows.
    pub fn version(&self, implementation: &str) -> String {
        let from_env = self
            .results
            .env
            .implementations
            .get(implementation)
            .and_then(|i| i.version.clone());
        let from_rows = || {
            self.results
                .rows
                .iter()
                .filter(|row| row.measurement.implementation == implementation)
                .find_map(|row| row.measurement.runtime_version.clone())
        };
        from_env.or_else(from_rows).unwrap_or_default()
    }

    /// Its version as a table shows it: the runtime and its number, without the banner's
    /// build details (env.json keeps those).
    pub fn short_version(&self, implementation: &str) -> String {
        short_version(&self.version(implementation))
    }

    /// The cost of one more task in `metric` (bytes/task for a figure in bytes): the slope of
    /// the least-squares line of it against tasks, over every successful repeat.
    pub fn per_task(&self, implementation: &str, metric: &Metric) -> Option<f64> {
        let points: Vec<(f64, f64)> = self
            .tasks
            .iter()
            .filter_map(|&tasks| Some((tasks, self.cell(implementation, tasks)?)))
            .flat_map(|(tasks, cell)| cell.rows.iter().map(move |row| (tasks, row)))
            .filter(|(_, row)| row.is_ok())
            .filter_map(|(tasks, row)| Some((tasks as f64, metric.of(row)?)))
            .collect();
        fit_line(&points).map(|(_, slope)| slope)
    }

    /// The rows of the build that counts allocations, for `runtime`, that succeeded.
    pub fn counted(&self, implementation: &str) -> impl Iterator<Item = &'a Row> + '_ {
        let implementation = implementation.to_string();
        self.results
            .rows
            .iter()
            .filter(move |row| !row.is_default_build() && row.is_ok())
            .filter(move |row| {
                row.measurement.implementation == implementation && row.heap.is_some()
            })
    }

    /// Where its memory per task goes, in one sentence, from env.json.
    pub fn memory_note(&self, implementation: &str) -> Option<&str> {
        let found = self.results.env.implementations.get(implementation)?;
        found.memory_note.as_deref()
    }

    /// The largest task count at which `runtime` succeeded, with its cell.
    pub fn largest_ok(&self, implementation: &str) -> Option<(usize, &Cell<'a>)> {
        self.tasks.iter().rev().find_map(|&tasks| {
            let cell = self.cell(implementation, tasks)?;
            cell.median(&PEAK_RSS).map(|_| (tasks, cell))
        })
    }
}

/// `Mono JIT compiler version 6.8.0.105 (Debian ...)` as `Mono 6.8.0.105`, `openjdk version
/// "25.0.3" 2026-04-21 LTS (...)` as `OpenJDK 25.0.3`, `go version go1.27.3 linux/amd64` as
/// `Go 1.27.3`, `v20.20.2` as `Node.js 20.20.2`; anything else up to its first parenthesis.
pub fn short_version(full: &str) -> String {
    let head = full.split(" (").next().unwrap_or(full).trim();
    let words: Vec<&str> = head.split_whitespace().collect();
    match words.as_slice() {
        ["Mono", "JIT", "compiler", "version", number, ..] => format!("Mono {number}"),
        ["openjdk", "version", number, ..] => format!("OpenJDK {}", number.trim_matches('"')),
        ["go", "version", number, ..] => format!("Go {}", number.trim_start_matches("go")),
        [number] if number.starts_with('v') => format!("Node.js {}", &number[1..]),
        _ => head.to_string(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use results::format::MIB;
    use results::metric::CGROUP_TOTAL;
    use results::{Kernel, Status};

    /// A row as the driver writes it, its peak in MiB.
    pub fn row(implementation: &str, tasks: usize, peak_mib: f64, status: Status) -> Row {
        results::fixtures::row(implementation, tasks, (peak_mib * MIB) as u64, status)
    }

    /// The same, with a cgroup's figures.
    pub fn with_kernel(mut row: Row, total_mib: f64, kernel_mib: f64) -> Row {
        row.measurement.kernel = Some(Kernel {
            cgroup: "v1".into(),
            total_peak_bytes: (total_mib * MIB) as u64,
            kernel_peak_bytes: Some((kernel_mib * MIB) as u64),
            kernel_stack_bytes: None,
            page_tables_bytes: None,
            slab_bytes: None,
        });
        row
    }

    pub fn results(rows: Vec<Row>) -> Results {
        Results {
            rows,
            ..Results::default()
        }
    }

    #[test]
    fn cells_group_repeats_and_take_the_median_of_those_that_succeeded() {
        let results = results(vec![
            row("threads", 1, 2.0, Status::Ok),
            row("tokio", 1000, 5.0, Status::Ok),
            row("tokio", 1000, 9.0, Status::Ok),
            row("tokio", 1000, 6.0, Status::Ok),
            row("tokio", 1000, 0.0, Status::Failed),
            row("zeta", 1, 2.0, Status::Ok),
        ]);
        let summary = Summary::new(&results);
        assert_eq!(
            summary.implementations,
            ["threads", "tokio", "zeta"],
            "the run's order"
        );
        assert_eq!(summary.tasks, [1, 1000]);
        let cell = summary.cell("tokio", 1000).unwrap();
        assert_eq!(cell.median(&PEAK_RSS), Some(6.0));
        assert_eq!(cell.range(&PEAK_RSS), Some((5.0, 9.0)));
        assert_eq!(cell.most(&PEAK_RSS), Some(9.0));
        assert_eq!(cell.not_ok().count(), 1);
        assert!(summary.cell("tokio", 1).is_none());
        assert_eq!(summary.label("tokio"), "tokio");
        assert_eq!(summary.version("tokio"), "1.0");
    }

    #[test]
    fn a_version_is_shortened_to_its_runtime_and_number() {
        for (full, short) in [
            ("Mono JIT compiler version 6.8.0.105 (Debian 6.8.0.105+dfsg-3.3 Sat Jun 21 2025)", "Mono 6.8.0.105"),
            ("openjdk version \"25.0.3\" 2026-04-21 LTS (/usr/lib/jvm/temurin-25-jdk-amd64/bin/java)", "OpenJDK 25.0.3"),
            ("go version go1.27.3 linux/amd64", "Go 1.27.3"),
            ("v20.20.2", "Node.js 20.20.2"),
            ("rustc 1.95.0 (59807616e 2026-04-14)", "rustc 1.95.0"),
            ("Elixir 1.14.0 (Erlang/OTP 25)", "Elixir 1.14.0"),
            (".NET 8.0.4", ".NET 8.0.4"),
            ("", ""),
        ] {
            assert_eq!(short_version(full), short, "{full}");
        }
    }

    #[test]
    fn bytes_per_task_is_the_slope_over_successful_cells() {
        let results = results(vec![
            with_kernel(row("tokio", 1, 3.0, Status::Ok), 4.0, 0.5),
            with_kernel(
                row(
                    "tokio",
                    1_000_000,
                    3.0 + 1_000_000.0 * 450.0 / MIB,
                    Status::Ok,
                ),
                4.0 + 1_000_000.0 * 500.0 / MIB,
                0.5,
            ),
            row("tokio", 10_000_000, 0.0, Status::Failed),
        ]);
        let summary = Summary::new(&results);
        let slope = summary.per_task("tokio", &PEAK_RSS).unwrap();
        assert!((slope - 450.0).abs() < 1.0, "{slope}");
        let total = summary.per_task("tokio", &CGROUP_TOTAL).unwrap();
        assert!((total - 500.0).abs() < 1.0, "{total}");
        assert_eq!(summary.largest_ok("tokio").unwrap().0, 1_000_000);
        let one = self::results(vec![row("tokio", 1, 3.0, Status::Ok)]);
        assert_eq!(Summary::new(&one).per_task("tokio", &PEAK_RSS), None);
    }
}
