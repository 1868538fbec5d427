//! The checks of a run itself: every task completes and overlaps, tasks cost memory, bad
//! usage is one line, a crash at tiny sleeps is found, the peak is the program's own.

use super::*;

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
    // Enough tasks that 64 B each stands well above the bare run's own spread, which
    // address-space randomisation alone makes (docs/implementations.md); an OS thread costs
    // a stack page at least, so a few thousand show.
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
    let run = implementation.expand(implementation.manifest.run());
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
    let runs = implementation.manifest.stress_runs();
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
