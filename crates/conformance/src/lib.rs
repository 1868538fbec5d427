//! The checks every implementation must pass, whatever its language: each run from outside,
//! through the meter, as the driver runs it. [`suite`] runs every check that applies against
//! every implementation the catalog finds, as the tests `tests/conformance.rs` (quick) and
//! `tests/stress.rs` (minutes).

pub mod suite;

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
/// their sleeps side by side, and the figures add up.
///
/// Whether every task is alive at once and the sleeps overlap depends on the sleep beside the
/// program's own speed, which a loaded machine slows: the launch must end within one sleep,
/// and the tasks must be woken and joined within one more. So the program is measured against
/// itself: when a run has done all its work but its launch, or its wake-up and join, took
/// longer than that, the sleep was too short for this machine at this moment, not the program
/// wrong. It runs again with a sleep four times the longer of the two as it just measured them,
/// and so on up to [`PACED_RUNS`] runs, the last of which must pass: a launch can take longer
/// beside a longer sleep, with every task alive at once (Java's 2,000 threads beside two busy
/// cores: 0.99 s beside a 0.5 s sleep, more than 3.97 s beside a 3.97 s one). Anything else (a
/// failure, a crash, a task lost, a sleep far shorter or longer than asked, sleeps one after
/// another) fails at once.
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

/// 2,000 tasks sleeping 1 s all complete, side by side, each counted.
pub fn runs_overlapping_tasks_and_counts_every_one(implementation: &Implementation) -> Checked {
    let m = successful_run(implementation, 2000, 1.0)?;
    ensure(
        m.user_s.unwrap_or(0.0) + m.sys_s.unwrap_or(0.0) > 0.0,
        || format!("no CPU time: {m:?}"),
    )
}

/// With no task the run measures the bare runtime, and tasks add memory on top of it: more
/// than 64 B each (the floor's, the least a task here costs, is 84 B) over the highest of
/// three bare runs, whose peaks differ by where address-space randomisation put things.
pub fn tasks_cost_memory_above_the_bare_runtime(implementation: &Implementation) -> Checked {
    // Enough tasks that 64 B each stands well above the bare run's own spread: the floor at
    // 0 tasks reads 2,138,112 to 2,289,664 B, from address-space randomisation alone (with
    // it off, `setarch -R`, every run reads 2108 KiB). An OS thread costs a stack page at
    // least, so a few thousand show.
    let tasks: u64 = match implementation.needs().threads_per_task {
        0 => 20_000,
        _ => 2_000,
    };
    let mut bare = 0;
    for _ in 0..3 {
        bare = bare.max(
            successful_run(implementation, 0, 0.2)?
                .peak_rss_bytes
                .unwrap_or(0),
        );
    }
    let loaded = successful_run(implementation, tasks as usize, 0.5)?;
    let loaded = loaded.peak_rss_bytes.unwrap_or(0);
    ensure(loaded > bare + tasks * 64, || {
        format!("{tasks} tasks should cost more than 64 B each: {bare} then {loaded} bytes")
    })
}

/// Bad input: exit 2, nothing on stdout, one `error:` line that names the bad value.
pub fn bad_usage_is_one_error_line_and_exit_2(implementation: &Implementation) -> Checked {
    let run = implementation.expand(&implementation.manifest.run);
    for (args, named) in [
        (&["abc"][..], "'abc'"),
        (&["-5"][..], "'-5'"),
        (&["1.5"][..], "'1.5'"),
        (&["10", "--sleep", "-1"][..], "'-1'"),
        (&["10", "--bogus"][..], "--bogus"),
        (&[][..], "missing task count"),
    ] {
        let output = Command::new(&run[0])
            .args(&run[1..])
            .args(args)
            .envs(implementation.environment())
            .output()
            .map_err(|e| format!("cannot run {}: {e}", run[0]))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let context = || {
            format!(
                "{args:?}: exit {:?}, stdout {stdout:?}, stderr {stderr:?}",
                output.status.code()
            )
        };
        ensure(output.status.code() == Some(2), context)?;
        ensure(stdout.is_empty(), context)?;
        ensure(stderr.lines().count() == 1, context)?;
        ensure(
            stderr.starts_with("error: ") && stderr.contains(named),
            context,
        )?;
    }
    Ok(())
}

/// Runs at the shortest sleeps, where timers fire while tasks are still being set up: the
/// manifest's `stress_runs` runs of 1,000 tasks at each of 0 and 1 ms, back to back in two
/// streams so that both cores are busy and threads get preempted. Any crash, hang or lost
/// task fails, with the count of bad runs.
pub fn no_crash_hang_or_lost_task_at_tiny_sleeps(implementation: &Implementation) -> Checked {
    const STREAMS: usize = 2;
    const TASKS: usize = 1000;
    let runs = implementation.manifest.stress_runs;
    let failures: Vec<String> = std::thread::scope(|scope| {
        let streams: Vec<_> = (0..STREAMS)
            .map(|stream| {
                scope.spawn(move || {
                    let mut failures = Vec::new();
                    for sleep in [0.0, 0.001] {
                        for index in (stream..runs).step_by(STREAMS) {
                            let m = measure(implementation, TASKS, sleep, false).measurement;
                            if m.status != Status::Ok || m.completed != Some(TASKS) {
                                let why = m
                                    .error
                                    .unwrap_or_else(|| format!("{:?} completed", m.completed));
                                failures.push(format!("--sleep {sleep}, run {}: {why}", index + 1));
                            }
                        }
                    }
                    failures
                })
            })
            .collect();
        streams
            .into_iter()
            .flat_map(|stream| stream.join().expect("a stream of runs ends"))
            .collect()
    });
    ensure(failures.is_empty(), || {
        format!(
            "{} of {} runs failed:\n{}",
            failures.len(),
            2 * runs,
            failures.join("\n")
        )
    })
}

/// Started by a parent holding 256 MiB, the peak is the program's own while `ru_maxrss`
/// carries the parent's size.
pub fn peak_is_its_own_under_a_large_parent(implementation: &Implementation) -> Checked {
    const PARENT_MIB: usize = 256;
    let ballast = vec![1u8; PARENT_MIB << 20];
    let m = successful_run(implementation, 0, 0.0);
    drop(std::hint::black_box(ballast));
    let m = m?;
    let ru_maxrss = m.ru_maxrss_bytes.unwrap_or(0) as f64;
    ensure(ru_maxrss >= PARENT_MIB as f64 * MIB, || {
        format!("ru_maxrss {ru_maxrss} should show the parent's {PARENT_MIB} MiB")
    })?;
    // Were it the parent's, it would be 256 MiB at least.
    let peak = m.peak_rss_bytes.unwrap_or(0) as f64;
    ensure(peak < (PARENT_MIB - 64) as f64 * MIB, || {
        format!("peak {peak} is not the bare runtime's own (ru_maxrss {ru_maxrss})")
    })
}

/// The kernel setting `name` (`kernel.pid_max`), or no limit when it cannot be read.
fn sysctl(name: &str) -> u64 {
    harness::limits::read_sysctl(name).unwrap_or(u64::MAX)
}

/// The most tasks a program that finds a limit only by reaching it (a JVM starting thread
/// after thread, 500 to 1,100 a second here) is asked to start: past the default limits
/// (`kernel.pid_max` 32768, `vm.max_map_count` 65530).
const REACHABLE_TASKS: u64 = 50_000;

/// How long such a program may take to reach the limit before it counts as hung: 50,000
/// threads at under 100 a second, far below the slowest seen (a JVM on two loaded cores, 500
/// a second).
const REACHING_TIMEOUT: Duration = Duration::from_secs(600);

/// Asking for more tasks than a limit allows is a clear failure, never a crash: exit 3 and
/// one line where the program can tell (the Rust binaries name the limit, its value and the
/// command that raises it, or the kernel's ceiling), else a failed run with the runtime's own
/// words. A limit raised past what such a program can reach in time is left out, and said so.
pub fn os_limits_are_reported(implementation: &Implementation) -> Checked {
    let limits = implementation.needs();
    let self_report = implementation.manifest.self_report;
    let (pid_max, max_map_count) = (sysctl("kernel.pid_max"), sysctl("vm.max_map_count"));
    // The fewest tasks past each limit that the implementation's tasks take a share of.
    let cases = [
        (limits.threads_per_task, "kernel.pid_max", pid_max),
        (limits.mappings_per_task, "vm.max_map_count", max_map_count),
    ]
    .into_iter()
    .filter_map(|(per_task, limit, current)| {
        Some((current.checked_div(per_task)? + 1, limit, current))
    });
    for (tasks, limit, current) in cases {
        if !self_report && tasks > REACHABLE_TASKS {
            eprintln!(
                "{}: {limit} is {current}: {tasks} tasks are past what the check can reach in time; left out",
                implementation.name()
            );
            continue;
        }
        // A sleep far longer than the launch, so that every task is still alive when the
        // limit is reached, however slowly the program starts them.
        let outcome = measure_within(
            implementation,
            tasks as usize,
            3600.0,
            false,
            REACHING_TIMEOUT,
        );
        let m = &outcome.measurement;
        let context = || {
            format!(
                "{tasks} tasks, past {limit} {current}: {m:?}\nstderr: {}",
                outcome.stderr
            )
        };
        ensure(m.status == Status::Failed && m.signal.is_none(), context)?;
        let error = m.error.clone().unwrap_or_default();
        if m.exit_code == Some(3) {
            ensure(outcome.stderr.trim().lines().count() == 1, context)?;
        } else {
            ensure(!error.is_empty(), context)?;
        }
        if self_report {
            ensure(m.exit_code == Some(3), context)?;
            ensure(error.contains(&format!("{limit} is {current}, ")), context)?;
            let advice = [
                format!("sysctl -w {limit}="),
                "the kernel allows at most".into(),
            ];
            ensure(advice.iter().any(|a| error.contains(a)), context)?;
        }
    }
    Ok(())
}

/// `--help` and `--version` answer on stdout with exit 0; the version is the one the
/// catalog records.
pub fn help_and_version(implementation: &Implementation) -> Checked {
    let run = implementation.expand(&implementation.manifest.run);
    let help = Command::new(&run[0])
        .args(&run[1..])
        .arg("--help")
        .output()
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&help.stdout);
    ensure(
        help.status.success() && text.contains("--sleep <SECONDS>"),
        || format!("{help:?}"),
    )?;
    // A Rust program is its own binary: its usage names it, not the crate it varies.
    if implementation.manifest.language == "Rust" {
        let binary = Path::new(&run[0]).file_name().unwrap_or_default();
        let usage = format!("Usage: {} ", binary.to_string_lossy());
        ensure(text.starts_with(&usage), || {
            format!("--help does not begin with '{usage}': {text}")
        })?;
    }
    let version = implementation.version()?;
    ensure(!version.is_empty() && !version.contains("unknown"), || {
        version.clone()
    })
}

/// OS threads: every task is a thread of the process, all alive at once.
pub fn every_task_is_an_os_thread(implementation: &Implementation) -> Checked {
    let m = successful_run(implementation, 500, 1.0)?;
    let threads = m.threads.unwrap_or(0);
    ensure(threads > 500, || {
        format!("500 tasks, but at most {threads} threads were seen")
    })
}

/// The setting its manifest names for `--workers` gives it that many worker threads: at 8 the
/// meter sees at least 4 more OS threads than at 1 (a runtime keeps a few of its own beside
/// its workers, and one that starts workers as work comes, like Go, starts them all only when
/// enough tasks come at once: Go at 500 tasks ran 5 to 7 threads, at 20,000 ten).
pub fn the_workers_setting_sets_its_worker_threads(implementation: &Implementation) -> Checked {
    let threads = |workers: u32| -> Result<u64, String> {
        let (tasks, sleep_s) = (20_000, 1.0);
        let command = implementation.run_command(tasks, sleep_s);
        let env = implementation.environment_with_workers(Some(workers));
        let timeout = TIMEOUT_PAST_THE_SLEEP + Duration::from_secs_f64(sleep_s);
        let outcome = measure_command(implementation, command, env, false, timeout);
        let m = outcome.measurement;
        ensure(m.status == Status::Ok && m.completed == Some(tasks), || {
            format!("{workers} workers: {m:?}\nstderr: {}", outcome.stderr)
        })?;
        Ok(m.threads.unwrap_or(0))
    };
    let (one, eight) = (threads(1)?, threads(8)?);
    ensure(eight >= one + 4, || {
        format!(
            "{:?} should set the worker threads, but 1 worker ran {one} threads and 8 ran {eight}",
            implementation.manifest.workers
        )
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

/// How far the kernel's high-water mark of a process's memory (VmHWM) can lag behind it: the
/// kernel counts resident pages per CPU and folds each CPU's count in only past a batch of
/// max(32, 2 x CPUs) pages (`percpu_counter_batch`), and records the high-water mark from the
/// folded count. 256 KiB on 2 CPUs.
fn high_water_lag_bytes() -> f64 {
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
    cpus * (2.0 * cpus).max(32.0) * 4096.0
}

/// The meter's peak and the program's own reading of it agree within 0.1%, at 100,000 tasks
/// (or the most the OS limits allow), or within what the kernel's high-water mark can lag,
/// which the program's reading can miss and the meter's denser readings catch.
pub fn meter_agrees_with_the_programs_own_peak(implementation: &Implementation) -> Checked {
    let tasks = allowed_tasks(implementation, 100_000);
    let outcome = measure(implementation, tasks, 1.0, false);
    let m = &outcome.measurement;
    ensure(m.status == Status::Ok, || format!("{m:?}"))?;
    let own = own_peak(&outcome.stdout)? as f64;
    let meter = m.peak_rss_bytes.unwrap_or(0) as f64;
    let gap = (own - meter).abs();
    let allowed = (0.001 * meter).max(high_water_lag_bytes());
    ensure(gap <= allowed, || {
        format!(
            "{tasks} tasks: the meter read {meter} bytes, the program {own}: {gap} apart, more \
             than {allowed} ({:.3}%)",
            100.0 * gap / meter
        )
    })
}

/// In a memory cgroup of its own, 10,000 OS threads show a kernel part of at least their
/// 10,000 kernel stacks of 16 KiB; where no cgroup can be made, it says why.
pub fn the_kernel_share_counts_every_thread_stack(implementation: &Implementation) -> Checked {
    if let Err(why) = meter::cgroup_version() {
        eprintln!(
            "{}: the kernel's share is not checked: {why}",
            implementation.name()
        );
        return Ok(());
    }
    let tasks = allowed_tasks(implementation, 10_000);
    let m = successful_run_in(implementation, tasks, 1.0, true)?;
    let kernel = m
        .kernel
        .as_ref()
        .and_then(|k| k.kernel_peak_bytes)
        .unwrap_or(0);
    let stacks = tasks as u64 * 16 * 1024;
    ensure(kernel >= stacks, || {
        format!(
            "{tasks} threads: the kernel's part is {kernel} bytes, below their stacks' {stacks}"
        )
    })
}

/// The program's own reading of its peak, run alone and run under the meter in turns, seven
/// times each: the two medians lie within the spread of the runs (16 pages at the least), so
/// the meter adds nothing the program's own variation does not. That spread is the
/// program's, measured here, not a margin: a multi-threaded runtime's threads allocate
/// in another order each run (smol's 10,000-task peak alone spans 5.32 to 5.60 MB in eight
/// runs; 10,000 OS threads, 91.8 to 93.8 MB on two busy cores).
pub fn the_meter_adds_nothing_to_the_program(implementation: &Implementation) -> Checked {
    const RUNS: usize = 7;
    /// The finest difference two runs of one binary show apart from their spread: pages.
    const PAGES: f64 = 16.0 * 4096.0;
    let tasks = allowed_tasks(implementation, 10_000);
    let args = ["--sleep".to_string(), "0.3".to_string()];
    let run = implementation.expand(&implementation.manifest.run);
    let alone = || -> Result<u64, String> {
        let output = Command::new(&run[0])
            .args(&run[1..])
            .arg(tasks.to_string())
            .args(&args)
            .envs(implementation.environment())
            .output()
            .map_err(|e| format!("cannot run {}: {e}", run[0]))?;
        own_peak(&String::from_utf8_lossy(&output.stdout))
    };
    let metered = || own_peak(&measure(implementation, tasks, 0.3, false).stdout);
    // Taken in turns, so that whatever else the machine does weighs on both alike.
    let (mut peaks_alone, mut peaks_metered) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        peaks_alone.push(alone()? as f64);
        peaks_metered.push(metered()? as f64);
    }
    results::stats::agree_within_spread(&peaks_alone, &peaks_metered, PAGES)
        .map_err(|why| format!("{tasks} tasks, its own peak alone and under the meter: {why}"))
}

/// Above this ratio of medians, an implementation holds more than the published program it
/// stands for: the fidelity table's limit.
const FIDELITY_LIMIT: f64 = 1.05;

/// Ours and the published program it stands for, as printed, hold the same: seven runs of
/// each at 10,000 tasks (or the most the OS limits allow), in turns, their peaks' medians no
/// further apart than their runs spread and 5% of the published program's median. The sleep
/// is one that every task of ours was alive in, as [`successful_run`] finds it. An
/// implementation built otherwise on purpose (its manifest says why) is left out, and said so.
pub fn matches_the_program_it_stands_for(implementation: &Implementation) -> Checked {
    const RUNS: usize = 7;
    let Some(published) = &implementation.manifest.published else {
        return Ok(());
    };
    if let Some(why) = &published.difference {
        eprintln!(
            "{}: left out, built otherwise on purpose: {why}",
            implementation.name()
        );
        return Ok(());
    }
    implementation.build_published()?;
    let tasks = allowed_tasks(implementation, 10_000);
    let sleep_s = successful_run(implementation, tasks, 1.0)?
        .sleep_s
        .unwrap_or(1.0);
    let timeout = TIMEOUT_PAST_THE_SLEEP + Duration::from_secs_f64(sleep_s);
    let peak = |command: Vec<String>| -> Result<f64, String> {
        let env = implementation.environment();
        let outcome = measure_command(implementation, command, env, false, timeout);
        let m = outcome.measurement;
        ensure(m.status == Status::Ok, || {
            format!("{m:?}\nstderr: {}", outcome.stderr)
        })?;
        Ok(m.peak_rss_bytes.unwrap_or(0) as f64)
    };
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        ours.push(peak(implementation.run_command(tasks, sleep_s))?);
        theirs.push(peak(implementation.published_command(tasks, sleep_s)?)?);
    }
    let allowed = (FIDELITY_LIMIT - 1.0) * results::stats::median(&theirs).unwrap_or(0.0);
    results::stats::agree_within_spread(&theirs, &ours, allowed)
        .map_err(|why| format!("{tasks} tasks, {} then ours: {why}", published.what))
}

/// The allocations a counting build says spawning left live, size by size, add up to the
/// live heap it measured (within 2%: other threads allocate while the counters are read).
pub fn allocations_by_size_add_up_to_the_live_heap(implementation: &Implementation) -> Checked {
    implementation.build_counting()?;
    let tasks = allowed_tasks(implementation, 10_000);
    let command = implementation.counting_command(tasks, 0.5)?;
    let outcome = measure_command(
        implementation,
        command,
        implementation.environment(),
        false,
        TIMEOUT_PAST_THE_SLEEP,
    );
    let report = outcome
        .stdout
        .lines()
        .find_map(|line| serde_json::from_str::<harness::Report>(line).ok())
        .ok_or_else(|| format!("no report of its own on stdout: {}", outcome.stdout))?;
    let heap = report.heap.ok_or("the counting build reported no heap")?;
    let by_size: i64 = heap.sizes.iter().map(|size| size.bytes).sum();
    let live = heap.live_bytes as i64;
    ensure(
        !heap.sizes.is_empty() && (by_size - live).abs() * 50 <= live.max(1),
        || format!("{tasks} tasks: by size {by_size} B, live heap {live} B: {heap:?}"),
    )
}

/// The peak a Rust binary reports of itself on stdout.
fn own_peak(stdout: &str) -> Result<u64, String> {
    stdout
        .lines()
        .find_map(|line| serde_json::from_str::<harness::Report>(line).ok())
        .map(|report| report.peak_rss_bytes)
        .ok_or_else(|| format!("no report of its own on stdout: {stdout}"))
}
