//! The command line of `scripts/bench.sh`: its options, each value parsed as it is given;
//! every bad value is one line that names it, and exit 2.

use clap::Parser;
use std::path::PathBuf;

/// Runs the article's benchmark for every implementation and task count, and renders the
/// report.
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
    /// Run every cell alone (by default up to 16 cells run at once, overlapping only in their
    /// sleeps: none starts or wakes while another launches or wakes).
    #[arg(long)]
    pub one_at_a_time: bool,
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
