//! The command line of `scripts/bench.sh` and the matrix it asks for, checked before anything
//! runs: every bad value is one line that names it, and exit 2.

use anyhow::{anyhow, bail};
use catalog::Implementation;
use clap::Parser;
use std::path::PathBuf;
use std::time::Duration;

/// Runs the article's benchmark for every runtime and task count, and renders the report.
#[derive(Parser, Debug)]
#[command(
    bin_name = "scripts/bench.sh",
    version,
    after_help = "Results go to results/<UTC timestamp>/ (results/latest points at the newest)."
)]
pub struct Args {
    /// 10k and 100k tasks of 1 s, every implementation of a program of its own (no variant,
    /// no other release): about 2 minutes on 2 cores once built.
    #[arg(long)]
    pub quick: bool,
    /// Implementations to run, comma-separated, by folder name [default: all]. Also
    /// --runtimes, its former name.
    #[arg(long, value_delimiter = ',', alias = "runtimes")]
    pub implementations: Vec<String>,
    /// Task counts, comma-separated, like 1,10k,1M [default: 1,10k,100k,1M].
    #[arg(long, value_delimiter = ',', allow_negative_numbers = true, value_parser = parse_tasks)]
    pub tasks: Vec<usize>,
    /// Seconds each task sleeps [default: 10; 1 with --quick]. A cell whose launch takes more
    /// than half of it sleeps twice its launch, so that every task is alive at once.
    #[arg(long, allow_negative_numbers = true, value_parser = parse_sleep)]
    pub sleep: Option<f64>,
    /// Another sleep at some task counts, like 10M=120: a launch longer than the sleep leaves
    /// the first tasks done before the last begin.
    #[arg(long, value_delimiter = ',', value_parser = parse_sleep_at)]
    pub sleep_at: Vec<(usize, f64)>,
    /// Runs of every cell; the report shows their median and range.
    #[arg(long, default_value_t = 1, allow_negative_numbers = true, value_parser = parse_repeat)]
    pub repeat: u32,
    /// Other runs at some task counts, like 10M=1: fewer where a cell takes minutes.
    #[arg(long, value_delimiter = ',', value_parser = parse_repeat_at)]
    pub repeat_at: Vec<(usize, u32)>,
    /// Results directory [default: results/<UTC timestamp>].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Seconds before a cell is killed and recorded as failed [default: the sleep + 300].
    #[arg(long, allow_negative_numbers = true, value_parser = results::format::parse_timeout)]
    pub timeout: Option<f64>,
    /// Root only: raise pid_max, threads-max and max_map_count for the run, restored after
    /// (their old values wait in /var/tmp/tasks-bench-raised-limits.conf until then).
    #[arg(long)]
    pub raise_limits: bool,
    /// Only put back limits that a driver killed mid-run left raised, then exit.
    #[arg(long, conflicts_with = "raise_limits")]
    pub restore_limits: bool,
    /// Also run the criterion launch-cost benches (about 5 minutes) and report them.
    #[arg(long)]
    pub launch_cost: bool,
    /// Also run every build that counts its allocations (the Rust ones), once at each task
    /// count from 1,000 to 100,000: where the memory goes.
    #[arg(long)]
    pub allocations: bool,
    /// Also measure each implementation's published program, as printed, beside it at 100k
    /// and 1M, both at least 3 times: the report's fidelity table.
    #[arg(long)]
    pub fidelity: bool,
    /// Worker-thread counts, comma-separated, like 1,2,4,8,16: every cell of an implementation
    /// that has such a setting runs at each of them too, besides at its own default; one
    /// without runs once, and the driver says so.
    #[arg(long, value_delimiter = ',', allow_negative_numbers = true, value_parser = parse_workers)]
    pub workers: Vec<u32>,
    /// Milliseconds between the meter's readings of a running program.
    #[arg(long, default_value_t = 10, allow_negative_numbers = true, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub interval: u64,
    /// The repository whose implementations run [default: this one].
    #[arg(long, hide = true)]
    pub root: Option<PathBuf>,
    /// For tests: a folder standing in for /proc/sys, so that no test changes the kernel.
    #[arg(long, hide = true, requires = "limits_state")]
    pub sysctl_root: Option<PathBuf>,
    /// For tests: where the old values of raised limits are kept.
    #[arg(long, hide = true, requires = "sysctl_root")]
    pub limits_state: Option<PathBuf>,
}

impl Args {
    /// The kernel settings `--raise-limits` and `--restore-limits` work on.
    pub fn sysctls(&self) -> crate::raise::Sysctls {
        match (&self.sysctl_root, &self.limits_state) {
            (Some(root), Some(state)) => crate::raise::Sysctls {
                root: root.clone(),
                state: state.clone(),
            },
            _ => crate::raise::Sysctls::system(),
        }
    }
}

fn usage_message(exit: harness::args::EarlyExit) -> String {
    match exit {
        harness::args::EarlyExit::Usage(message) => message,
        _ => String::new(),
    }
}

fn parse_tasks(text: &str) -> Result<usize, String> {
    harness::args::parse_tasks(text).map_err(usage_message)
}

fn parse_sleep(text: &str) -> Result<f64, String> {
    harness::args::parse_sleep(text)
        .map(|d| d.as_secs_f64())
        .map_err(usage_message)
}

fn parse_sleep_at(text: &str) -> Result<(usize, f64), String> {
    let (tasks, sleep) = text.split_once('=').ok_or_else(|| {
        format!("invalid --sleep-at '{text}': expected a task count and seconds like 10M=120")
    })?;
    Ok((parse_tasks(tasks)?, parse_sleep(sleep)?))
}

fn parse_repeat_at(text: &str) -> Result<(usize, u32), String> {
    let (tasks, runs) = text.split_once('=').ok_or_else(|| {
        format!("invalid --repeat-at '{text}': expected a task count and runs like 10M=1")
    })?;
    Ok((parse_tasks(tasks)?, parse_repeat(runs)?))
}

fn parse_workers(text: &str) -> Result<u32, String> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|workers| (1..=MAX_WORKERS).contains(workers))
        .ok_or_else(|| {
            format!(
                "invalid worker count '{text}': expected a whole number from 1 to {MAX_WORKERS}"
            )
        })
}

/// The most worker threads `--workers` asks of a runtime (Erlang's schedulers stop at 1024).
const MAX_WORKERS: u32 = 1024;

fn parse_repeat(text: &str) -> Result<u32, String> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|runs| *runs >= 1)
        .ok_or_else(|| format!("invalid repeat '{text}': expected a whole number of runs >= 1"))
}

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

/// Which build of an implementation a cell runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Build {
    /// The one every table shows.
    Default,
    /// The one whose allocator counts (`--allocations`): where the memory goes.
    Counting,
    /// The published program it stands for, as printed (`--fidelity`).
    Published,
}

impl Build {
    /// What it is, as a line about it says.
    pub fn describe(self) -> &'static str {
        match self {
            Build::Default => "build",
            Build::Counting => "build that counts allocations",
            Build::Published => "published program",
        }
    }
}

/// The task counts at which `--fidelity` sets each implementation beside its published
/// program.
pub const FIDELITY_TASKS: [usize; 2] = [100_000, 1_000_000];

/// The fewest runs of each side of a fidelity comparison: one run of a managed runtime moves
/// by up to 20%.
pub const FIDELITY_RUNS: usize = 3;

/// One cell of the matrix, in the order the cells run.
pub struct Planned<'a> {
    pub implementation: &'a Implementation,
    pub tasks: usize,
    pub repeat: usize,
    pub build: Build,
    /// The worker threads `--workers` gives it; none: its own default.
    pub workers: Option<u32>,
}

/// The matrix as asked, with defaults filled in.
pub struct Plan {
    pub implementations: Vec<Implementation>,
    pub tasks: Vec<usize>,
    pub sleep_s: f64,
    /// Other sleeps at some task counts.
    pub sleep_at: Vec<(usize, f64)>,
    pub repeat: usize,
    /// Other runs at some task counts.
    pub repeat_at: Vec<(usize, usize)>,
    /// The timeout asked for, if one was.
    pub timeout: Option<Duration>,
    pub interval: Duration,
    /// Whether the builds that count allocations run too.
    pub allocations: bool,
    /// Whether each implementation's published program runs beside it (`--fidelity`).
    pub fidelity: bool,
    /// The worker-thread counts each implementation with such a setting runs at too.
    pub workers: Vec<u32>,
}

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
        anyhow!(results::format::usage_line(&error.to_string()))
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
            sleep_at: args.sleep_at.clone(),
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
        })
    }

    /// The sleep of the cells of `tasks` tasks.
    pub fn sleep_at(&self, tasks: usize) -> f64 {
        let other = self.sleep_at.iter().find(|(at, _)| *at == tasks);
        other.map_or(self.sleep_s, |(_, sleep)| *sleep)
    }

    /// How long a cell that sleeps `sleep_s` may run: as asked, else its sleep and 300 s more.
    pub fn timeout_for(&self, sleep_s: f64) -> Duration {
        let default = || Duration::from_secs_f64(sleep_s + 300.0);
        self.timeout.unwrap_or_else(default)
    }

    /// The builds of `implementation` the plan runs besides its default one.
    pub fn other_builds(&self, implementation: &Implementation) -> Vec<Build> {
        let manifest = &implementation.manifest;
        let counted = self.allocations && manifest.allocations.is_some();
        let compared = self.fidelity && manifest.published.is_some();
        [(Build::Counting, counted), (Build::Published, compared)]
            .into_iter()
            .filter_map(|(build, runs)| runs.then_some(build))
            .collect()
    }

    /// The runs of each cell of `tasks` tasks: as asked for that count, else `--repeat`; at
    /// least 3 where `--fidelity` compares.
    pub fn runs_at(&self, tasks: usize) -> usize {
        let other = self.repeat_at.iter().find(|(at, _)| *at == tasks);
        let runs = other.map_or(self.repeat, |(_, runs)| *runs);
        match self.compares_at(tasks) {
            true => runs.max(FIDELITY_RUNS),
            false => runs,
        }
    }

    /// Whether `--fidelity` sets the cells of `tasks` tasks beside the published programs.
    fn compares_at(&self, tasks: usize) -> bool {
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

    /// Every cell, in the order they run: each task count, ascending, over every
    /// implementation and repeat, each run followed, with `--fidelity` at 100k and 1M, by a
    /// run of its published program (at least 3 of each there, in turns, so that whatever
    /// else the machine does weighs on both alike), then with `--workers` by a run at each
    /// worker count; then, with `--allocations`, every implementation that has a counting
    /// build at the counts from 1,000 to 100,000.
    pub fn cells(&self) -> Vec<Planned<'_>> {
        let mut cells = Vec::new();
        for &tasks in &self.tasks {
            let compared = self.compares_at(tasks);
            let runs = self.runs_at(tasks);
            for implementation in &self.implementations {
                let published = compared && implementation.manifest.published.is_some();
                let workers: &[u32] = match implementation.has_workers_setting() {
                    true => &self.workers,
                    false => &[],
                };
                for repeat in 1..=runs {
                    let cell = |build, workers| Planned {
                        implementation,
                        tasks,
                        repeat,
                        build,
                        workers,
                    };
                    cells.push(cell(Build::Default, None));
                    if published {
                        cells.push(cell(Build::Published, None));
                    }
                    cells.extend(workers.iter().map(|&w| cell(Build::Default, Some(w))));
                }
            }
        }
        if self.allocations {
            let counted = self
                .implementations
                .iter()
                .filter(|i| i.manifest.allocations.is_some());
            for implementation in counted {
                for &tasks in self.tasks.iter().filter(|t| (1000..=100_000).contains(*t)) {
                    cells.push(Planned {
                        implementation,
                        tasks,
                        repeat: 1,
                        build: Build::Counting,
                        workers: None,
                    });
                }
            }
        }
        cells
    }

    pub fn names(&self) -> Vec<&str> {
        self.implementations
            .iter()
            .map(Implementation::name)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(line: &str) -> Result<Plan, String> {
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
    fn fidelity_runs_each_published_program_in_turn_with_its_implementation_three_times() {
        let fidelity = plan("--implementations floor,nodejs --tasks 1k,100k --fidelity").unwrap();
        let cells: Vec<(&str, usize, usize, Build)> = fidelity
            .cells()
            .iter()
            .map(|c| (c.implementation.name(), c.tasks, c.repeat, c.build))
            .collect();
        use Build::*;
        assert_eq!(
            cells,
            [
                ("floor", 1000, 1, Default),
                ("nodejs", 1000, 1, Default),
                // The floor stands for no published program: three runs of its own.
                ("floor", 100_000, 1, Default),
                ("floor", 100_000, 2, Default),
                ("floor", 100_000, 3, Default),
                ("nodejs", 100_000, 1, Default),
                ("nodejs", 100_000, 1, Published),
                ("nodejs", 100_000, 2, Default),
                ("nodejs", 100_000, 2, Published),
                ("nodejs", 100_000, 3, Default),
                ("nodejs", 100_000, 3, Published),
            ]
        );
        assert_eq!(
            plan("--tasks 1,10k --fidelity").err().unwrap(),
            "--fidelity compares at 100k and 1M tasks: add one of them to --tasks"
        );
    }

    #[test]
    fn workers_run_each_count_after_the_default_where_the_implementation_can_set_them() {
        let plan =
            plan("--implementations floor,tokio --tasks 1k --repeat 2 --workers 1,4").unwrap();
        let cells: Vec<(&str, usize, Option<u32>)> = plan
            .cells()
            .iter()
            .map(|c| (c.implementation.name(), c.repeat, c.workers))
            .collect();
        assert_eq!(
            cells,
            [
                // The floor has no worker threads to set: once at its own.
                ("floor", 1, None),
                ("floor", 2, None),
                ("tokio", 1, None),
                ("tokio", 1, Some(1)),
                ("tokio", 1, Some(4)),
                ("tokio", 2, None),
                ("tokio", 2, Some(1)),
                ("tokio", 2, Some(4)),
            ]
        );
        assert_eq!(plan.without_workers_setting(), ["floor"]);
        assert!(self::plan("--tasks 1")
            .unwrap()
            .without_workers_setting()
            .is_empty());
        for (line, said) in [
            (
                "--workers 2,2",
                "worker count 2 is given twice in --workers: give each once",
            ),
            (
                "--workers 0",
                "invalid worker count '0': expected a whole number from 1 to 1024",
            ),
            (
                "--workers four",
                "invalid worker count 'four': expected a whole number from 1 to 1024",
            ),
        ] {
            let error = self::plan(line).err().unwrap();
            assert!(error.contains(said), "{line}: {error}");
        }
    }

    #[test]
    fn counting_builds_run_after_the_matrix_at_the_counts_up_to_100k() {
        let plan =
            plan("--implementations floor,go --tasks 1,1k,1M --repeat 2 --allocations").unwrap();
        let cells: Vec<(&str, usize, usize, Build)> = plan
            .cells()
            .iter()
            .map(|c| (c.implementation.name(), c.tasks, c.repeat, c.build))
            .collect();
        assert_eq!(cells.len(), 3 * 2 * 2 + 1);
        assert_eq!(
            cells[..2],
            [
                ("floor", 1, 1, Build::Default),
                ("floor", 1, 2, Build::Default)
            ]
        );
        assert_eq!(
            cells[12],
            ("floor", 1000, 1, Build::Counting),
            "go has no counting build"
        );
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

    fn plan_of(line: &str) -> Plan {
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
