//! The matrix driver behind `scripts/bench.sh`: every runtime x task count, one built bench
//! binary at a time, each row appended to results.jsonl as it ends, then the report.

mod cell;
mod environment;
mod preflight;
mod raise;

use clap::Parser;
use harness::report::{Status, MIB};
use harness::Report;
use report::charts::thousands;
use report::results::{Row, ENV_FILE, ROWS_FILE};
use report::summary::RUNTIMES;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Runs the article's benchmark for every runtime and task count, and renders the report.
#[derive(Parser, Debug)]
#[command(
    bin_name = "scripts/bench.sh",
    version,
    after_help = "Results go to results/<UTC timestamp>/ (results/latest points at the newest)."
)]
struct Args {
    /// 1 s sleep and up to 100k tasks: the whole matrix in about a minute.
    #[arg(long)]
    quick: bool,
    /// Runtimes to run, comma-separated [default: all].
    #[arg(long, value_delimiter = ',', value_parser = parse_runtime)]
    runtimes: Vec<String>,
    /// Task counts, comma-separated, like 1,10k,1M [default: 1,10k,100k,1M].
    #[arg(long, value_delimiter = ',', value_parser = parse_tasks)]
    tasks: Vec<usize>,
    /// Seconds each task sleeps [default: 10; 1 with --quick].
    #[arg(long, allow_negative_numbers = true, value_parser = parse_sleep)]
    sleep: Option<f64>,
    /// Runs of every cell; the report shows their median and range.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    repeat: u32,
    /// Results directory [default: results/<UTC timestamp>].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Seconds before a cell is killed and recorded as failed [default: the sleep + 300].
    #[arg(long, allow_negative_numbers = true, value_parser = parse_sleep)]
    timeout: Option<f64>,
    /// Root only: raise pid_max, threads-max and max_map_count for the run, restored after.
    #[arg(long)]
    raise_limits: bool,
    /// Also run the criterion launch-cost benches (about 5 minutes) and report them.
    #[arg(long)]
    launch_cost: bool,
    /// Where the built bench binaries are [default: beside this driver].
    #[arg(long, hide = true)]
    bin_dir: Option<PathBuf>,
}

fn parse_runtime(name: &str) -> Result<String, String> {
    RUNTIMES
        .contains(&name)
        .then(|| name.to_string())
        .ok_or_else(|| {
            format!(
                "unknown runtime '{name}': expected one of {}",
                RUNTIMES.join(", ")
            )
        })
}

fn usage_message(exit: harness::args::Exit) -> String {
    match exit {
        harness::args::Exit::Usage(message) => message,
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

/// The matrix as asked, with defaults filled in.
struct Plan {
    runtimes: Vec<String>,
    tasks: Vec<usize>,
    sleep_s: f64,
    repeat: usize,
    timeout: Duration,
}

impl Plan {
    fn from(args: &Args) -> Plan {
        let runtimes = if args.runtimes.is_empty() {
            RUNTIMES.iter().map(|r| r.to_string()).collect()
        } else {
            args.runtimes.clone()
        };
        let mut tasks = match (args.tasks.is_empty(), args.quick) {
            (false, _) => args.tasks.clone(),
            (true, true) => vec![1, 10_000, 100_000],
            (true, false) => vec![1, 10_000, 100_000, 1_000_000],
        };
        tasks.sort_unstable();
        tasks.dedup();
        let sleep_s = args.sleep.unwrap_or(if args.quick { 1.0 } else { 10.0 });
        let timeout = Duration::from_secs_f64(args.timeout.unwrap_or(sleep_s + 300.0));
        Plan {
            runtimes,
            tasks,
            sleep_s,
            repeat: args.repeat as usize,
            timeout,
        }
    }

    fn cells(&self) -> usize {
        self.runtimes.len() * self.tasks.len() * self.repeat
    }
}

fn main() {
    let args = Args::try_parse().unwrap_or_else(|error| {
        if !error.use_stderr() {
            error.exit() // --help and --version
        }
        // clap's first line says what is wrong; the rest is a pointer to --help.
        let text = error.to_string();
        eprintln!(
            "{} (see --help)",
            text.lines().next().unwrap_or("error: bad usage")
        );
        std::process::exit(2)
    });
    let plan = Plan::from(&args);
    if let Err(error) = run(&args, &plan) {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}

fn default_out_dir() -> PathBuf {
    let stamp = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    Path::new("results").join(stamp.replace(':', "-"))
}

fn run(args: &Args, plan: &Plan) -> Result<(), String> {
    let bin_dir = match &args.bin_dir {
        Some(dir) => dir.clone(),
        None => std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(Path::to_path_buf))
            .ok_or("cannot find the directory of the driver")?,
    };
    let mut raised = if args.raise_limits {
        let largest = plan.tasks.last().copied().unwrap_or(0);
        match raise::Raised::raise(largest) {
            Ok(raised) => Some(raised),
            Err(error) => {
                eprintln!("error: {error}");
                std::process::exit(2);
            }
        }
    } else {
        None
    };
    let interrupted = Arc::new(AtomicBool::new(false));
    let flag = interrupted.clone();
    ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst))
        .map_err(|e| format!("cannot handle Ctrl-C: {e}"))?;

    let out = args.out.clone().unwrap_or_else(default_out_dir);
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    if args.out.is_none() {
        point_latest_at(&out);
    }
    let command_line: Vec<String> = std::env::args().collect();
    let env = environment::describe(&command_line, raised.is_some());
    let env_text = serde_json::to_string_pretty(&env).expect("env serialises");
    std::fs::write(out.join(ENV_FILE), env_text + "\n")
        .map_err(|e| format!("cannot write env.json: {e}"))?;

    print_preflight(plan);
    eprintln!("results: {}", out.display());
    let rows_path = out.join(ROWS_FILE);
    let mut rows_file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&rows_path)
        .map_err(|e| format!("cannot open {}: {e}", rows_path.display()))?;

    let mut done: Vec<Row> = Vec::new();
    'matrix: for &tasks in &plan.tasks {
        for runtime in &plan.runtimes {
            for repeat in 1..=plan.repeat {
                if interrupted.load(Ordering::SeqCst) {
                    break 'matrix;
                }
                let index = done.len() + 1;
                let (report, exit_code) = match preflight::reason_to_skip(runtime, tasks, &done) {
                    Some(why) => (
                        Report::unmeasured(runtime, tasks, plan.sleep_s, Status::Skipped, why),
                        None,
                    ),
                    None => {
                        let bin = bin_dir.join(format!("bench-{runtime}"));
                        cell::run(&bin, runtime, tasks, plan.sleep_s, plan.timeout)
                    }
                };
                let row = Row {
                    index,
                    repeat,
                    exit_code,
                    report,
                };
                let line = serde_json::to_string(&row).expect("rows serialise");
                writeln!(rows_file, "{line}")
                    .and_then(|()| rows_file.flush())
                    .map_err(|e| format!("cannot append to {}: {e}", rows_path.display()))?;
                eprintln!("{}", progress(&row, plan));
                done.push(row);
            }
        }
    }
    // Under the raised limits too, so that may reaches 100,000 coroutines.
    if args.launch_cost && !interrupted.load(Ordering::SeqCst) {
        run_launch_cost(&out)?;
    }
    if let Some(raised) = raised.as_mut() {
        raised.restore();
    }
    let report = report::render(&out)?;
    summarise(&done, plan, &report);
    if interrupted.load(Ordering::SeqCst) {
        eprintln!(
            "interrupted: {} of {} cells ran; every row measured is in {}",
            done.len(),
            plan.cells(),
            rows_path.display()
        );
        std::process::exit(130);
    }
    Ok(())
}

/// Runs the criterion benches of crates/launch-cost and keeps their estimates with the results.
fn run_launch_cost(out: &Path) -> Result<(), String> {
    eprintln!("launch cost: cargo bench -p launch-cost (about 5 minutes)");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = std::process::Command::new(cargo)
        .args(["bench", "-p", "launch-cost", "--locked"])
        .stdout(std::process::Stdio::inherit())
        .status()
        .map_err(|e| format!("cannot run cargo bench: {e}"))?;
    if !status.success() {
        return Err(format!("cargo bench -p launch-cost failed ({status})"));
    }
    let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
    let criterion = Path::new(&target).join("criterion");
    let copied = report::launch::copy_estimates(&criterion, &out.join(report::launch::LAUNCH_DIR))?;
    eprintln!("launch cost: {copied} estimates kept in {}", out.display());
    Ok(())
}

/// `[7/24] tokio 100,000: 47.2 MiB, 10.1 s`, or the reason a cell has no figure.
fn progress(row: &Row, plan: &Plan) -> String {
    let r = &row.report;
    let mut line = format!(
        "[{}/{}] {} {}",
        row.index,
        plan.cells(),
        r.runtime,
        thousands(r.tasks)
    );
    if plan.repeat > 1 {
        line += &format!(" (run {}/{})", row.repeat, plan.repeat);
    }
    match r.status {
        Status::Ok => {
            line + &format!(
                ": {:.1} MiB, {:.1} s",
                r.peak_rss_bytes as f64 / MIB,
                r.wall_s
            )
        }
        Status::Failed => line + &format!(": failed: {}", r.error.as_deref().unwrap_or("")),
        Status::Skipped => line + &format!(": skipped: {}", r.error.as_deref().unwrap_or("")),
    }
}

fn print_preflight(plan: &Plan) {
    eprintln!("preflight: the limits that bound these runs");
    for (name, value) in preflight::limits_now() {
        eprintln!("  {name:<32} {value}");
    }
    let mut blocked = 0;
    for &tasks in &plan.tasks {
        for runtime in &plan.runtimes {
            let shortfalls = preflight::shortfalls(runtime, tasks);
            if !shortfalls.is_empty() {
                blocked += 1;
                eprintln!(
                    "  will skip {runtime} {}: {}",
                    thousands(tasks),
                    harness::limits::message(tasks, "tasks", &shortfalls)
                );
            }
            let needed = preflight::estimated_bytes(runtime, tasks, &[]);
            if needed > preflight::available_memory() * 9 / 10 {
                eprintln!(
                    "  {runtime} {}: may need up to {:.1} GiB by a stated bound; it runs only if the smaller cells show it fits",
                    thousands(tasks),
                    needed as f64 / (1u64 << 30) as f64
                );
            }
        }
    }
    if blocked == 0 {
        eprintln!("  every cell fits the OS limits");
    }
    eprintln!(
        "{} cells: {} x tasks {} x {} run(s), sleep {} s, timeout {} s",
        plan.cells(),
        plan.runtimes.join(","),
        plan.tasks
            .iter()
            .map(|&t| thousands(t))
            .collect::<Vec<_>>()
            .join(","),
        plan.repeat,
        plan.sleep_s,
        plan.timeout.as_secs_f64()
    );
}

fn summarise(done: &[Row], plan: &Plan, report: &Path) {
    let count = |status| {
        done.iter()
            .filter(|row| row.report.status == status)
            .count()
    };
    eprintln!(
        "{} of {} cells: {} ok, {} failed, {} skipped; report: {}",
        done.len(),
        plan.cells(),
        count(Status::Ok),
        count(Status::Failed),
        count(Status::Skipped),
        report.display()
    );
}

/// Points results/latest at the newest run.
fn point_latest_at(out: &Path) {
    let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
        return;
    };
    let latest = parent.join("latest");
    let _ = std::fs::remove_file(&latest);
    let _ = std::os::unix::fs::symlink(name, &latest);
}
