//! The matrix driver behind `scripts/bench.sh`: every runtime x task count, one built bench
//! binary at a time, each row appended to results.jsonl as it ends, then the report.

mod cell;
mod environment;
mod plan;
mod preflight;
mod raise;

use cell::Cell;
use harness::report::{Status, MIB};
use harness::Report;
use plan::{Args, Plan};
use report::charts::thousands;
use report::results::{Row, Writer, ENV_FILE};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Why the driver stops before the end: bad usage (exit 2) or anything else (exit 1).
enum Stop {
    Usage(String),
    Failed(String),
}

/// How the matrix ended.
#[derive(PartialEq)]
enum Ended {
    Complete,
    Interrupted,
}

fn main() {
    let (args, plan) = plan::parse(std::env::args_os()).unwrap_or_else(|error| {
        eprintln!("error: {error}");
        std::process::exit(2)
    });
    let code = match run(&args, &plan) {
        Ok(Ended::Complete) => 0,
        Ok(Ended::Interrupted) => 130,
        Err(Stop::Usage(error)) => {
            eprintln!("error: {error}");
            2
        }
        Err(Stop::Failed(error)) => {
            eprintln!("error: {error}");
            1
        }
    };
    std::process::exit(code)
}

fn default_out_dir() -> PathBuf {
    let stamp = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    Path::new("results").join(stamp.replace(':', "-"))
}

/// The directory of the built bench binaries.
fn bin_dir(args: &Args) -> Result<PathBuf, Stop> {
    match &args.bin_dir {
        Some(dir) if dir.is_dir() => Ok(dir.clone()),
        Some(dir) => Err(Stop::Usage(format!(
            "invalid --bin-dir '{}': not a directory",
            dir.display()
        ))),
        None => std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(Path::to_path_buf))
            .ok_or(Stop::Failed(
                "cannot find the directory of the driver".into(),
            )),
    }
}

/// A flag raised by Ctrl-C, SIGTERM or SIGHUP: the cell running is stopped, the rows
/// finished are kept, the limits restored and the report rendered.
fn interruption() -> Result<Arc<AtomicBool>, Stop> {
    let interrupted = Arc::new(AtomicBool::new(false));
    let flag = interrupted.clone();
    ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst))
        .map_err(|e| Stop::Failed(format!("cannot handle Ctrl-C: {e}")))?;
    Ok(interrupted)
}

fn run(args: &Args, plan: &Plan) -> Result<Ended, Stop> {
    let bin_dir = bin_dir(args)?;
    let out = args.out.clone().unwrap_or_else(default_out_dir);
    let mut rows = Writer::create(&out).map_err(Stop::Usage)?;
    if args.out.is_none() {
        point_latest_at(&out);
    }
    let interrupted = interruption()?;
    let raised = match args.raise_limits {
        true => Some(
            raise::Raised::raise(plan.tasks.last().copied().unwrap_or(0)).map_err(Stop::Usage)?,
        ),
        false => None,
    };
    let command_line: Vec<String> = std::env::args().collect();
    let env = environment::describe(&command_line, raised.is_some());
    let env_text = serde_json::to_string_pretty(&env).expect("env serialises");
    std::fs::write(out.join(ENV_FILE), env_text + "\n")
        .map_err(|e| Stop::Failed(format!("cannot write env.json: {e}")))?;

    print_preflight(plan);
    eprintln!("results: {}", out.display());
    let done = run_matrix(plan, &bin_dir, &mut rows, &interrupted).map_err(Stop::Failed)?;
    let ended = match interrupted.load(Ordering::SeqCst) {
        true => Ended::Interrupted,
        false => Ended::Complete,
    };
    // Under the raised limits too, so that may reaches 100,000 coroutines.
    if args.launch_cost && ended == Ended::Complete {
        run_launch_cost(&out).map_err(Stop::Failed)?;
    }
    drop(raised);
    let report = report::render(&out).map_err(|e| Stop::Failed(e.to_string()))?;
    summarise(&done, plan, &report);
    if ended == Ended::Interrupted {
        eprintln!(
            "interrupted: {} of {} cells ran; every row finished is in {}",
            done.len(),
            plan.cells(),
            rows.path().display()
        );
    }
    Ok(ended)
}

/// Runs every cell in order, appending each row as it ends, until the end or an interruption.
fn run_matrix(
    plan: &Plan,
    bin_dir: &Path,
    rows: &mut Writer,
    interrupted: &AtomicBool,
) -> Result<Vec<Row>, String> {
    let mut done: Vec<Row> = Vec::new();
    for &tasks in &plan.tasks {
        for runtime in &plan.runtimes {
            for repeat in 1..=plan.repeat {
                if interrupted.load(Ordering::SeqCst) {
                    return Ok(done);
                }
                let (report, exit_code) = match preflight::reason_to_skip(runtime, tasks, &done) {
                    Some(why) => (
                        Report::unmeasured(runtime, tasks, plan.sleep_s, Status::Skipped, why),
                        None,
                    ),
                    None => {
                        let cell = Cell {
                            bin: &bin_dir.join(format!("bench-{runtime}")),
                            runtime,
                            tasks,
                            sleep_s: plan.sleep_s,
                            timeout: plan.timeout,
                        };
                        match cell.run(interrupted) {
                            cell::Ended::Finished(report, code) => (report, code),
                            cell::Ended::Interrupted => return Ok(done),
                        }
                    }
                };
                let row = Row {
                    index: done.len() + 1,
                    repeat,
                    exit_code,
                    report,
                };
                rows.append(&row)?;
                eprintln!("{}", progress(&row, plan));
                done.push(row);
            }
        }
    }
    Ok(done)
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
