//! The matrix the command line asks for, checked before anything runs: the implementations,
//! the task counts, and each count's sleep and runs.

use crate::cli::Args;
use anyhow::{anyhow, bail};
use catalog::Implementation;
use clap::Parser;
use std::collections::BTreeMap;
use std::time::Duration;

/// The task counts of `flag` (`--sleep-at 10M=120`) each given once, each among `tasks`.
fn check_counts(flag: &str, counts: &[usize], tasks: &[usize]) -> anyhow::Result<()> {
    if let Some(twice) = given_twice(counts) {
        bail!("task count {twice} is given twice in {flag}: give each once");
    }
    match counts.iter().find(|count| !tasks.contains(count)) {
        Some(stray) => {
            bail!("invalid {flag}: {stray} is not among the task counts; add it to --tasks")
        }
        None => Ok(()),
    }
}

/// The task counts at which `--fidelity` sets each implementation beside its published
/// program.
const FIDELITY_TASKS: [usize; 2] = [100_000, 1_000_000];

/// The fewest runs of each side of a fidelity comparison: one run of a managed runtime moves
/// by up to 20%.
const FIDELITY_RUNS: usize = 3;

/// The matrix as asked, with defaults filled in.
pub struct Plan {
    pub implementations: Vec<Implementation>,
    pub tasks: Vec<usize>,
    pub sleep_s: f64,
    /// Other sleeps at some task counts.
    pub sleep_at: BTreeMap<usize, f64>,
    pub repeat: usize,
    /// Other runs at some task counts.
    pub repeat_at: BTreeMap<usize, usize>,
    /// The timeout asked for, if one was.
    pub timeout: Option<Duration>,
    pub interval: Duration,
    /// Whether the builds that count allocations run too.
    pub allocations: bool,
    /// Whether each implementation's published program runs beside it (`--fidelity`).
    pub fidelity: bool,
    /// The worker-thread counts each implementation with such a setting runs at too.
    pub workers: Vec<u32>,
    /// The most cells that run at once: 1 runs every cell alone.
    pub cells_at_once: usize,
}

/// The most cells that run at once, unless `--one-at-a-time`: they overlap only in their
/// sleeps (`overlap`), so the CPU is never shared and the count is bound only by memory.
const CELLS_AT_ONCE: usize = 16;

/// Parses the command line against the implementations found in the repository: the
/// arguments and the plan, or one line saying what is wrong (for exit 2). `--help` and
/// `--version` print and exit here.
pub fn parse<I, T>(args: I) -> anyhow::Result<(Args, Plan)>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let args = Args::try_parse_from(args).map_err(|error| {
        if !error.use_stderr() {
            error.exit() // --help and --version
        }
        anyhow!(command_line::usage_line(&error.to_string()))
    })?;
    let root = args.root.clone().unwrap_or_else(catalog::repository_root);
    let found = catalog::discover(&root)?;
    let plan = Plan::from(&args, found)?;
    Ok((args, plan))
}

/// The first value given twice, as the user wrote it.
fn given_twice<T: PartialEq + std::fmt::Display>(values: &[T]) -> Option<&T> {
    values
        .iter()
        .enumerate()
        .find(|(at, value)| values[..*at].contains(value))
        .map(|(_, value)| value)
}

/// The implementations `names` asks for, in its order, or every one `found` when it asks for
/// none; an error names one it does not know.
fn chosen(names: &[String], found: Vec<Implementation>) -> anyhow::Result<Vec<Implementation>> {
    let known: Vec<&str> = found.iter().map(Implementation::name).collect();
    if let Some(unknown) = names.iter().find(|name| !known.contains(&name.as_str())) {
        bail!(
            "unknown implementation '{unknown}': expected one of {}",
            known.join(", ")
        );
    }
    Ok(match names.is_empty() {
        true => found,
        false => names
            .iter()
            .filter_map(|name| found.iter().find(|i| i.name() == name).cloned())
            .collect(),
    })
}

impl Plan {
    pub fn from(args: &Args, found: Vec<Implementation>) -> anyhow::Result<Plan> {
        if let Some(twice) = given_twice(&args.implementations) {
            bail!("implementation '{twice}' is given twice in --implementations: give each once");
        }
        if let Some(twice) = given_twice(&args.tasks) {
            bail!("task count {twice} is given twice in --tasks: give each once");
        }
        let mut implementations = chosen(&args.implementations, found)?;
        if args.quick && args.implementations.is_empty() {
            implementations.retain(|i| i.manifest.variant_of().is_none());
        }
        let mut tasks = match (args.tasks.is_empty(), args.quick) {
            (false, _) => args.tasks.clone(),
            (true, true) => vec![10_000, 100_000],
            (true, false) => vec![1, 10_000, 100_000, 1_000_000],
        };
        tasks.sort_unstable();
        let sleep_counts: Vec<usize> = args.sleep_at.iter().map(|(tasks, _)| *tasks).collect();
        check_counts("--sleep-at", &sleep_counts, &tasks)?;
        let repeat_counts: Vec<usize> = args.repeat_at.iter().map(|(tasks, _)| *tasks).collect();
        check_counts("--repeat-at", &repeat_counts, &tasks)?;
        if let Some(twice) = given_twice(&args.workers) {
            bail!("worker count {twice} is given twice in --workers: give each once");
        }
        if args.fidelity && !tasks.iter().any(|t| FIDELITY_TASKS.contains(t)) {
            bail!("--fidelity compares at 100k and 1M tasks: add one of them to --tasks");
        }
        Ok(Plan {
            implementations,
            tasks,
            sleep_s: args.sleep.unwrap_or(if args.quick { 1.0 } else { 10.0 }),
            sleep_at: args.sleep_at.iter().copied().collect(),
            repeat: args.repeat as usize,
            repeat_at: args
                .repeat_at
                .iter()
                .map(|&(tasks, runs)| (tasks, runs as usize))
                .collect(),
            timeout: args.timeout.map(Duration::from_secs_f64),
            interval: Duration::from_millis(args.interval),
            allocations: args.allocations,
            fidelity: args.fidelity,
            workers: args.workers.clone(),
            cells_at_once: if args.one_at_a_time { 1 } else { CELLS_AT_ONCE },
        })
    }

    /// The sleep of the cells of `tasks` tasks.
    pub fn sleep_at(&self, tasks: usize) -> f64 {
        self.sleep_at.get(&tasks).copied().unwrap_or(self.sleep_s)
    }

    /// How long a cell that sleeps `sleep_s` may run: as asked, else its sleep and 300 s more.
    pub fn timeout_for(&self, sleep_s: f64) -> Duration {
        let default = || Duration::from_secs_f64(sleep_s + 300.0);
        self.timeout.unwrap_or_else(default)
    }

    /// The runs of each cell of `tasks` tasks: as asked for that count, else `--repeat`; at
    /// least 3 where `--fidelity` compares.
    pub fn runs_at(&self, tasks: usize) -> usize {
        let runs = self.repeat_at.get(&tasks).copied().unwrap_or(self.repeat);
        match self.compares_at(tasks) {
            true => runs.max(FIDELITY_RUNS),
            false => runs,
        }
    }

    /// Whether `--fidelity` sets the cells of `tasks` tasks beside the published programs.
    pub fn compares_at(&self, tasks: usize) -> bool {
        self.fidelity && FIDELITY_TASKS.contains(&tasks)
    }

    /// The implementations `--workers` cannot set, which run once at their own.
    pub fn without_workers_setting(&self) -> Vec<&str> {
        match self.workers.is_empty() {
            true => Vec::new(),
            false => self
                .implementations
                .iter()
                .filter(|i| !i.has_workers_setting())
                .map(Implementation::name)
                .collect(),
        }
    }

    pub fn names(&self) -> Vec<&str> {
        self.implementations
            .iter()
            .map(Implementation::name)
            .collect()
    }
}

/// Plans parsed against this repository's implementations.
#[cfg(test)]
pub(crate) mod on_this_repository {
    use super::*;

    pub fn plan(line: &str) -> Result<Plan, String> {
        parse(std::iter::once("driver").chain(line.split_whitespace()))
            .map(|(_, plan)| plan)
            .map_err(|error| format!("{error:#}"))
    }

    #[test]
    fn defaults_and_quick() {
        let full = plan("").unwrap();
        assert_eq!(full.tasks, [1, 10_000, 100_000, 1_000_000]);
        assert_eq!((full.sleep_s, full.repeat), (10.0, 1));
        assert_eq!(full.timeout_for(10.0), Duration::from_secs(310));
        let found = catalog::discover(&catalog::repository_root()).unwrap();
        let every: Vec<&str> = found.iter().map(Implementation::name).collect();
        assert_eq!(full.names(), every);
        let quick = plan("--quick").unwrap();
        assert_eq!(
            (quick.tasks.as_slice(), quick.sleep_s),
            ([10_000, 100_000].as_slice(), 1.0)
        );
        assert!(quick.names().contains(&"tokio") && quick.names().contains(&"floor"));
        for other in ["tokio-1-28", "tokio-current-thread", "csharp-dotnet-delay"] {
            assert!(
                !quick.names().contains(&other),
                "{other} is a variant or a release"
            );
        }
        let asked = plan("--quick --implementations tokio-1-28").unwrap();
        assert_eq!(asked.names(), ["tokio-1-28"]);
    }

    #[test]
    fn task_counts_are_sorted_and_implementations_kept_in_the_order_given() {
        // --runtimes is the former name of --implementations, kept for old commands.
        let plan = plan("--tasks 1M,10,1k --runtimes smol,tokio --timeout 2.5").unwrap();
        assert_eq!(plan.tasks, [10, 1000, 1_000_000]);
        assert_eq!(plan.names(), ["smol", "tokio"]);
        assert_eq!(plan.timeout_for(60.0), Duration::from_millis(2500));
    }

    #[test]
    fn some_counts_can_run_fewer_times() {
        let fewer = plan_of("--implementations floor --tasks 1k,10M --repeat 3 --repeat-at 10M=1");
        assert_eq!((fewer.runs_at(1000), fewer.runs_at(10_000_000)), (3, 1));
        assert_eq!(fewer.cells().len(), 4);
        let fidelity = plan_of("--tasks 100k,1M --fidelity --repeat-at 1M=1");
        assert_eq!(
            (fidelity.runs_at(100_000), fidelity.runs_at(1_000_000)),
            (3, 3)
        );
        for (line, named) in [
            (
                "--tasks 1,10M --repeat-at 1M=1",
                "invalid --repeat-at: 1000000 is not among",
            ),
            (
                "--tasks 1 --repeat-at 1=2,1=3",
                "task count 1 is given twice in --repeat-at",
            ),
            ("--repeat-at 1M", "invalid --repeat-at '1M'"),
            ("--tasks 1M --repeat-at 1M=0", "invalid repeat '0'"),
        ] {
            let error = plan(line).err().unwrap_or_default();
            assert!(error.contains(named), "{line}: {error}");
        }
    }

    pub fn plan_of(line: &str) -> Plan {
        plan(line).unwrap_or_else(|e| panic!("{line}: {e}"))
    }

    #[test]
    fn the_largest_counts_can_sleep_longer() {
        let plan = plan("--tasks 1k,10M --sleep 2 --sleep-at 10M=120").unwrap();
        assert_eq!(
            (plan.sleep_at(1000), plan.sleep_at(10_000_000)),
            (2.0, 120.0)
        );
        assert_eq!(plan.timeout_for(120.0), Duration::from_secs(420));
    }

    /// Each bad value is refused with a message that names it.
    #[test]
    fn bad_values_are_named() {
        for (line, named) in [
            ("--timeout abc", "invalid timeout 'abc'"),
            ("--timeout 0", "invalid timeout '0'"),
            ("--timeout -3", "invalid timeout '-3'"),
            (
                "--tasks -5",
                "invalid task count '-5': must not be negative",
            ),
            ("--tasks 1,1", "task count 1 is given twice"),
            ("--tasks 1k,1000", "task count 1000 is given twice"),
            (
                "--implementations tokio,tokio",
                "implementation 'tokio' is given twice",
            ),
            (
                "--implementations tokio --runtimes tokio",
                "implementation 'tokio' is given twice",
            ),
            ("--repeat 0", "invalid repeat '0'"),
            ("--repeat -1", "invalid repeat '-1'"),
            (
                "--implementations nope",
                "unknown implementation 'nope': expected one of threads, threads-64k",
            ),
        ] {
            let error = plan(line)
                .err()
                .unwrap_or_else(|| panic!("{line} is accepted"));
            assert!(error.contains(named), "{line}: {error}");
            assert_eq!(error.lines().count(), 1, "{line}: {error}");
        }
    }
}
