//! The matrix driver behind `scripts/bench.sh`: every implementation x task count, each cell
//! measured from outside by the meter, each row appended to results.jsonl as it ends, then
//! the report.

mod cell;
mod cli;
mod environment;
mod host;
mod matrix;
mod overlap;
mod plan;
mod preflight;
mod prepare;
mod raise;
mod schedule;
mod sleep;
mod start;

use anyhow::Context;

use cli::Args;
use harness::report::exit;
use plan::Plan;
use prepare::{prepare, Availability};
use results::format::{mib, thousands};
use results::{Row, Status, Writer};
use schedule::Build;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Why the driver stops before the end: bad usage (exit 2) or anything else (exit 1).
enum Stop {
    Usage(anyhow::Error),
    Failed(anyhow::Error),
}

impl Stop {
    fn usage(error: impl Into<anyhow::Error>) -> Stop {
        Stop::Usage(error.into())
    }

    fn failed(error: impl Into<anyhow::Error>) -> Stop {
        Stop::Failed(error.into())
    }
}

/// How the matrix ended.
#[derive(PartialEq)]
enum MatrixEnd {
    Complete,
    Interrupted,
}

fn main() {
    let (args, plan) = plan::parse(std::env::args_os()).unwrap_or_else(|error| {
        eprintln!("error: {error:#}");
        std::process::exit(exit::USAGE)
    });
    let restored = clean_up_after_a_killed_driver(&args.sysctls(), args.restore_limits);
    if args.restore_limits {
        std::process::exit(if restored { exit::OK } else { exit::FAILED })
    }
    let code = match run(&args, &plan) {
        Ok(MatrixEnd::Complete) => exit::OK,
        Ok(MatrixEnd::Interrupted) => exit::INTERRUPTED,
        Err(Stop::Usage(error)) => {
            eprintln!("error: {error:#}");
            exit::USAGE
        }
        Err(Stop::Failed(error)) => {
            eprintln!("error: {error:#}");
            exit::FAILED
        }
    };
    std::process::exit(code)
}

/// What a driver killed mid-run (SIGKILL, a crash, a restart) could not undo: limits it left
/// raised, and the memory cgroup of the cell it was measuring. One line for each thing done.
/// `asked`: say so too when nothing was left. False when raised limits could not be restored.
fn clean_up_after_a_killed_driver(sysctls: &raise::Sysctls, asked: bool) -> bool {
    let restored = match sysctls.restore_left_over() {
        Ok(Some(said)) => {
            eprintln!("{said}");
            true
        }
        Ok(None) => {
            if asked {
                eprintln!(
                    "no limits were left raised ({} does not exist)",
                    sysctls.state.display()
                );
            }
            true
        }
        Err(why) => {
            eprintln!("error: {why:#}");
            false
        }
    };
    for said in meter::remove_orphaned_cgroups() {
        eprintln!("{said}");
    }
    restored
}

fn default_out_dir() -> PathBuf {
    let stamp = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    Path::new("results").join(stamp.replace(':', "-"))
}

/// A flag raised by Ctrl-C, SIGTERM or SIGHUP: the cell running is stopped, the rows
/// finished are kept, the limits restored and the report rendered.
fn interruption() -> Result<Arc<AtomicBool>, Stop> {
    let interrupted = Arc::new(AtomicBool::new(false));
    let flag = interrupted.clone();
    ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst))
        .context("cannot handle Ctrl-C")
        .map_err(Stop::Failed)?;
    Ok(interrupted)
}

fn run(args: &Args, plan: &Plan) -> Result<MatrixEnd, Stop> {
    let out = args.out.clone().unwrap_or_else(default_out_dir);
    let mut rows = Writer::create(&out).map_err(Stop::usage)?;
    if args.out.is_none() {
        point_latest_at(&out);
    }
    let interrupted = interruption()?;
    let raised = match args.raise_limits {
        true => {
            let largest = plan.tasks.last().copied().unwrap_or(0);
            Some(args.sysctls().raise(largest).map_err(Stop::Usage)?)
        }
        false => None,
    };
    let preparing = Instant::now();
    let available = prepare(plan);
    let prepared = preparing.elapsed();
    let env = describe(plan, &available, raised.is_some());
    let mut env = rows.joined_env(env).map_err(Stop::usage)?;
    rows.write_env(&env).map_err(Stop::failed)?;

    print_preflight(plan, &available);
    let fixed = plan.without_workers_setting();
    if !fixed.is_empty() {
        eprintln!(
            "no worker-thread setting, so each runs once at its own: {}",
            fixed.join(", ")
        );
    }
    eprintln!("results: {}", out.display());
    let matrix = Instant::now();
    let done = matrix::run(plan, &available, &mut rows, &interrupted).map_err(Stop::Failed)?;
    let matrix = matrix.elapsed();
    let took = results::Took::new(built_by_script(), prepared, matrix);
    env.record_took(took);
    rows.write_env(&env).map_err(Stop::failed)?;
    let ended = match interrupted.load(Ordering::SeqCst) {
        true => MatrixEnd::Interrupted,
        false => MatrixEnd::Complete,
    };
    // Under the raised limits too, so that may reaches 100,000 coroutines. A failure here
    // still leaves the matrix's report to render, and is said after it.
    let launch_cost = match args.launch_cost && ended == MatrixEnd::Complete {
        true => run_launch_cost(&out),
        false => Ok(()),
    };
    drop(raised);
    let report = report::render(&out).map_err(Stop::failed)?;
    summarise(&done, plan, &report);
    eprintln!("{}", timing(&took, &done));
    if ended == MatrixEnd::Interrupted {
        eprintln!(
            "interrupted: {} of {} cells ran; every row finished is in {}",
            done.len(),
            plan.cells().len(),
            rows.rows_path().display()
        );
    }
    launch_cost.map_err(Stop::Failed)?;
    Ok(ended)
}

/// How long `scripts/bench.sh` spent building this driver before starting it, as it says in
/// `BENCH_BUILD_S`: none when the driver was started otherwise.
fn built_by_script() -> Option<Duration> {
    let seconds = std::env::var("BENCH_BUILD_S").ok()?.parse::<f64>().ok()?;
    Duration::try_from_secs_f64(seconds).ok()
}

/// Where this run is made: the machine, the command line, and each implementation as found.
fn describe(plan: &Plan, available: &Availability, raised: bool) -> results::Env {
    let found = plan
        .implementations
        .iter()
        .map(|i| {
            let state = available.of(i, Build::Default);
            let record = environment::found(i, &state, available.took(i));
            (i.name().to_string(), record)
        })
        .collect();
    let command_line: Vec<String> = std::env::args().collect();
    environment::describe(
        &command_line,
        raised,
        found,
        plan.interval,
        plan.cells_at_once,
    )
}

/// Runs every implementation's criterion launch-cost bench and keeps their estimates with
/// the results.
fn run_launch_cost(out: &Path) -> anyhow::Result<()> {
    eprintln!("launch cost: cargo bench --workspace --bench launch_cost (about 5 minutes)");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = std::process::Command::new(cargo)
        .args(["bench", "--workspace", "--bench", "launch_cost", "--locked"])
        .stdout(std::process::Stdio::inherit())
        .status()
        .context("cannot run cargo bench")?;
    if !status.success() {
        anyhow::bail!("cargo bench --bench launch_cost failed ({status})");
    }
    let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
    let criterion = Path::new(&target).join("criterion");
    let copied = report::launch::copy_estimates(&criterion, &out.join(report::launch::LAUNCH_DIR))?;
    eprintln!("launch cost: {copied} estimates kept in {}", out.display());
    Ok(())
}

/// `[7/24] tokio 100,000: 47.2 MiB, total 52.0 MiB (kernel 0.4 MiB), 10.1 s`, or the
/// reason a cell has no figure.
fn progress(row: &Row, plan: &Plan, cells: usize) -> String {
    let m = &row.measurement;
    let mut line = format!(
        "[{}/{cells}] {} {}",
        row.index,
        m.implementation,
        thousands(row.cell_tasks)
    );
    if !row.build.is_default() {
        line += &format!(" ({})", row.build);
    }
    if let Some(workers) = row.workers {
        line += &format!(" ({})", results::format::workers(workers));
    }
    // The counting build runs once at each count.
    let runs = match row.build == Build::Counting {
        true => 1,
        false => plan.runs_at(row.cell_tasks),
    };
    if runs > 1 {
        line += &format!(" (run {}/{runs})", row.repeat);
    }
    let why = m.error.as_deref().unwrap_or("");
    match m.status {
        Status::Ok => {
            line += &format!(": {:.1} MiB", mib(m.peak_rss_bytes.unwrap_or(0)));
            if let Some(kernel) = &m.kernel {
                line += &format!(", total {:.1} MiB", mib(kernel.total_peak_bytes));
                if let Some(part) = kernel.kernel_peak_bytes {
                    line += &format!(" (kernel {:.1} MiB)", mib(part));
                }
            }
            // A published program says nothing of its launch: the process's own time.
            let seconds = m.wall_s.or(m.process_wall_s).unwrap_or(0.0);
            line + &format!(", {seconds:.1} s")
        }
        Status::Failed => line + &format!(": failed: {why}"),
        Status::Skipped => line + &format!(": skipped: {why}"),
    }
}

fn print_preflight(plan: &Plan, available: &Availability) {
    eprintln!("preflight: the limits that bound these runs");
    for (name, value) in host::limits_now() {
        eprintln!("  {name:<32} {value}");
    }
    let mut blocked = 0;
    for &tasks in &plan.tasks {
        for implementation in &plan.implementations {
            let ready = available.of(implementation, Build::Default);
            if ready.why_not().is_none() && !fits_the_machine(implementation, tasks) {
                blocked += 1;
            }
        }
    }
    if blocked == 0 {
        eprintln!("  every cell fits the OS limits");
    }
    eprintln!("{}", plan_line(plan));
}

/// Whether `tasks` tasks of `implementation` fit the OS limits; prints why not, and where
/// the memory its manifest states may not fit.
fn fits_the_machine(implementation: &catalog::Implementation, tasks: usize) -> bool {
    let name = implementation.name();
    let shortfalls = implementation.shortfalls(tasks);
    if !shortfalls.is_empty() {
        eprintln!(
            "  will skip {name} {}: {}",
            thousands(tasks),
            harness::limits::message(tasks, "tasks", &shortfalls)
        );
    }
    let needed = preflight::estimated_bytes(implementation, tasks, &[]);
    if !preflight::fits(needed, host::available_memory()) {
        eprintln!(
            "  {name} {}: may need up to {:.1} GiB by a stated bound; it runs only if the smaller cells show it fits",
            thousands(tasks),
            results::format::gib(needed)
        );
    }
    shortfalls.is_empty()
}

/// The matrix in one line: its cells, implementations, counts, runs, sleeps and timeout.
fn plan_line(plan: &Plan) -> String {
    let other_sleeps: String = plan
        .sleep_at
        .iter()
        .map(|(tasks, sleep)| format!(" ({sleep} s at {})", thousands(*tasks)))
        .collect();
    let other_runs: String = plan
        .tasks
        .iter()
        .filter(|&&tasks| plan.runs_at(tasks) != plan.repeat)
        .map(|&tasks| format!(" ({} at {})", plan.runs_at(tasks), thousands(tasks)))
        .collect();
    let counts: Vec<String> = plan.tasks.iter().map(|&t| thousands(t)).collect();
    format!(
        "{} cells: {} x tasks {} x {} run(s){other_runs}, sleep {} s{other_sleeps} (twice the \
         launch where that is longer), timeout {} s",
        plan.cells().len(),
        plan.names().join(","),
        counts.join(","),
        plan.repeat,
        plan.sleep_s,
        plan.timeout_for(plan.sleep_s).as_secs_f64()
    )
}

fn summarise(done: &[Row], plan: &Plan, report: &Path) {
    let count = |status| {
        done.iter()
            .filter(|row| row.measurement.status == status)
            .count()
    };
    eprintln!(
        "{} of {} cells: {} ok, {} failed, {} skipped; report: {}",
        done.len(),
        plan.cells().len(),
        count(Status::Ok),
        count(Status::Failed),
        count(Status::Skipped),
        report.display()
    );
}

/// Where the time went: building, the matrix, and the programs' own time, which is longer
/// than the matrix's where cells overlapped.
fn timing(took: &results::Took, done: &[Row]) -> String {
    let own: f64 = done
        .iter()
        .filter_map(|row| row.measurement.process_wall_s)
        .sum();
    let matrix = took.cells_s;
    let how = match done.iter().any(|row| row.beside_others) {
        true => "overlapping in their sleeps".to_string(),
        false => format!(
            "{:.1}% more for measuring them",
            100.0 * (matrix - own) / own.max(f64::MIN_POSITIVE)
        ),
    };
    let building = match took.building_s {
        Some(seconds) => format!("{seconds:.0} s to build the driver, "),
        None => String::new(),
    };
    format!(
        "time: {building}{:.1} s to build and check the implementations; {matrix:.1} s of \
         cells, the programs {own:.1} s in all ({how})",
        took.preparing_s,
    )
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
