//! The checks every implementation must pass, whatever its language: each run from outside,
//! through the meter, as the driver runs it. [`suite`] runs every check that applies against
//! every implementation the catalog finds, as the tests `tests/conformance.rs` (quick) and
//! `tests/stress.rs` (minutes).

mod readings;
mod runs;
pub mod suite;
mod threads;

pub use readings::*;
pub use runs::*;
pub use threads::*;

use catalog::Implementation;
use results::format::MIB;
use results::{Measurement, Status};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// What a check found wrong.
pub type Checked = Result<(), String>;

fn ensure(holds: bool, why: impl FnOnce() -> String) -> Checked {
    match holds {
        true => Ok(()),
        false => Err(why()),
    }
}

/// How long a run may take past its sleep: one that takes this long has serialised its tasks
/// or hangs, and is killed so that the check fails rather than waits. Far more than any
/// launch of the checks' task counts needs, however loaded the machine.
const TIMEOUT_PAST_THE_SLEEP: Duration = Duration::from_secs(120);

/// One run of `tasks` tasks sleeping `sleep_s`, measured.
fn measure(
    implementation: &Implementation,
    tasks: usize,
    sleep_s: f64,
    cgroup: bool,
) -> meter::Outcome {
    let timeout = TIMEOUT_PAST_THE_SLEEP + Duration::from_secs_f64(sleep_s);
    measure_within(implementation, tasks, sleep_s, cgroup, timeout)
}

/// [`measure`], killed after `timeout`.
fn measure_within(
    implementation: &Implementation,
    tasks: usize,
    sleep_s: f64,
    cgroup: bool,
    timeout: Duration,
) -> meter::Outcome {
    let command = implementation.run_command(tasks, sleep_s);
    let env = implementation.environment();
    measure_command(implementation, command, env, cgroup, timeout)
}

/// `command`, one of `implementation`'s, measured with the variables `env`; killed after
/// `timeout`.
fn measure_command(
    implementation: &Implementation,
    command: Vec<String>,
    env: Vec<(std::ffi::OsString, std::ffi::OsString)>,
    cgroup: bool,
    timeout: Duration,
) -> meter::Outcome {
    let spec = meter::Spec {
        name: implementation.name().to_string(),
        command: command.into_iter().map(Into::into).collect(),
        cwd: None,
        env,
        output: None,
    };
    let options = meter::Options {
        timeout: Some(timeout),
        cgroup,
        ..meter::Options::default()
    };
    meter::measure(spec, &options, &AtomicBool::new(false))
}

/// A run that must succeed: every task completed and counted, all of them alive at once and
/// their sleeps side by side, and the figures add up. A loaded machine can slow a launch past
/// the sleep, which is the sleep's fault and not the program's, so such a run is made again
/// with a sleep fitted to the pace it measured, up to [`PACED_RUNS`] runs; anything else (a
/// failure, a crash, a lost task, sleeps one after another) fails at once.
fn successful_run(
    implementation: &Implementation,
    tasks: usize,
    sleep_s: f64,
) -> Result<Measurement, String> {
    successful_run_in(implementation, tasks, sleep_s, false)
}

/// The most runs of [`successful_run`], each with a sleep fitted to the pace the one before
/// measured.
const PACED_RUNS: usize = 3;

/// [`successful_run`], in a memory cgroup of its own when `cgroup`.
fn successful_run_in(
    implementation: &Implementation,
    tasks: usize,
    sleep_s: f64,
    cgroup: bool,
) -> Result<Measurement, String> {
    let mut sleep = sleep_s;
    let mut tried = Vec::new();
    for run in 1..=PACED_RUNS {
        match checked_run(implementation, tasks, sleep, cgroup)? {
            Paced::Passed(m) => return Ok(*m),
            Paced::TooSlowFor { slowest_s, first } => {
                tried.push(format!("{sleep:.2} s ({first})"));
                if run == PACED_RUNS {
                    break;
                }
                // Longer than `sleep`: the launch or the wake-up took more than one sleep.
                let longer = 4.0 * slowest_s;
                eprintln!(
                    "{}: {tasks} tasks took {slowest_s:.2} s to launch or to wake beside a \
                     {sleep:.2} s sleep on this machine now; measured again with a {longer:.2} s \
                     sleep",
                    implementation.name()
                );
                sleep = longer;
            }
        }
    }
    Err(format!(
        "{tasks} tasks were not all alive with their sleeps side by side, with a sleep of {}",
        tried.join(", nor of ")
    ))
}

/// How a run went beside its sleep.
enum Paced {
    Passed(Box<Measurement>),
    /// It did its work right, but its launch or its wake-up took the longer of `slowest_s`
    /// beside a sleep too short for it: `first` says how it went.
    TooSlowFor {
        slowest_s: f64,
        first: String,
    },
}

/// One run of [`successful_run`]: an error for what no sleep would change.
fn checked_run(
    implementation: &Implementation,
    tasks: usize,
    sleep_s: f64,
    cgroup: bool,
) -> Result<Paced, String> {
    let outcome = measure(implementation, tasks, sleep_s, cgroup);
    let m = outcome.measurement;
    let context = || {
        format!(
            "{tasks} tasks, sleep {sleep_s} s: {m:?}\nstderr: {}",
            outcome.stderr
        )
    };
    ensure(m.status == Status::Ok, context)?;
    ensure(
        (m.tasks, m.completed) == (Some(tasks), Some(tasks)),
        context,
    )?;
    ensure(m.sleep_s == Some(sleep_s), context)?;
    ensure(
        m.peak_rss_bytes.unwrap_or(0) > 0 && m.threads.unwrap_or(0) >= 1,
        context,
    )?;
    let (launch, wall) = (m.spawn_s.unwrap_or(f64::MAX), m.wall_s.unwrap_or(0.0));
    ensure(launch <= wall, context)?;
    // Every task sleeps a whole sleep: less means a sleep cut short (beyond the stamping
    // allowance: the meter reads each event a little late on a busy machine).
    let whole = sleep_s * (1.0 - harness::report::STAMPING_ALLOWANCE);
    ensure(tasks == 0 || wall >= whole, || {
        format!("{tasks} sleeps of {sleep_s} s took {wall} s: a sleep was cut short")
    })?;
    if m.all_alive == Some(true) && m.overlapped == Some(true) {
        return Ok(Paced::Passed(Box::new(m)));
    }
    // After the last task was spawned, its sleep and the wake-up and join of every task.
    let waking = wall - launch - sleep_s;
    let first = format!(
        "launch {launch:.2} s, then {wall:.2} s in all, where {tasks} tasks one after another \
         would take {:.0} s",
        tasks as f64 * sleep_s
    );
    // Far from the sum of the sleeps, but not within a sleep of the launch: the sleep is short
    // beside this machine's pace now. Near the sum: the sleeps ran one after another.
    ensure(wall < (tasks as f64 * sleep_s) / 4.0, || {
        format!("{tasks} sleeps of {sleep_s} s did not run side by side: {first}")
    })?;
    Ok(Paced::TooSlowFor {
        slowest_s: launch.max(waking),
        first,
    })
}

/// The largest task count up to `wanted` that the OS limits allow for it now.
fn allowed_tasks(implementation: &Implementation, wanted: usize) -> usize {
    let mut tasks = wanted;
    while tasks > 1000 && !implementation.shortfalls(tasks).is_empty() {
        tasks = tasks * 9 / 10;
    }
    tasks
}
