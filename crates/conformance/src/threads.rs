//! The checks of OS threads and their limits: the limits are reported, every task is a
//! thread, the kernel's share counts each stack, the worker setting takes.

use super::*;

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
    let self_report = implementation.manifest.self_report();
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
            implementation.manifest.workers()
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
