//! The meter against programs of known behaviour: this test binary runs itself again under
//! the meter, with `CHILD` set to what the child should do.

use results::format::MIB;
use results::Status;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

const CHILD: &str = "METER_TEST_CHILD";

/// Says the launch protocol for `tasks` tasks of `sleep_s`, sleeping it, with `completed` of
/// them done at the end.
fn launch_protocol(tasks: usize, sleep_s: f64, completed: usize) {
    use harness::events::Event;
    let mut events = harness::events::Events::from_env().unwrap();
    events.send(Event::Start { tasks, sleep_s });
    events.send(Event::Spawned { tasks });
    std::thread::sleep(Duration::from_secs_f64(sleep_s));
    events.send(Event::Done { completed });
}

/// A real-time signal, as Mono suspends its threads with: handled, then ignored by default it
/// ends the process.
fn raise_handled_real_time_signal() {
    extern "C" fn handled(_: libc::c_int) {}
    // SAFETY: an empty handler, set and raised on this thread.
    unsafe {
        libc::signal(
            real_time_signal(),
            handled as *const () as libc::sighandler_t,
        );
        libc::raise(real_time_signal());
    }
}

/// The child's side: does what `CHILD` says.
#[test]
fn child() {
    let Ok(case) = std::env::var(CHILD) else {
        return;
    };
    let touch = |mib: usize| std::hint::black_box(vec![1u8; mib << 20]);
    match case.as_str() {
        "nothing" => {}
        // Touched and freed at once: only VmHWM remembers it.
        "touch-64-mib-then-free" => drop(touch(64)),
        // Still held as the process exits, a moment after the meter last looked.
        "touch-64-mib-at-exit" => {
            std::thread::sleep(Duration::from_millis(200));
            std::mem::forget(touch(64));
        }
        "events" => launch_protocol(3, 0.2, 3),
        "too-few-completed" => launch_protocol(3, 0.0, 2),
        "abort" => std::process::abort(),
        "real-time-signal-handled" => raise_handled_real_time_signal(),
        "real-time-signal-kills" => {
            // SAFETY: raising a signal whose default action ends this process.
            unsafe { libc::raise(real_time_signal()) };
            std::thread::sleep(Duration::from_secs(60));
        }
        "hang" => std::thread::sleep(Duration::from_secs(60)),
        "hang-while-spawning" => {
            let mut events = harness::events::Events::from_env().unwrap();
            events.send(harness::events::Event::Start {
                tasks: 3,
                sleep_s: 0.2,
            });
            std::thread::sleep(Duration::from_secs(60));
        }
        "exit-3" => {
            eprintln!("OS limit: a test says so");
            std::process::exit(3)
        }
        other => panic!("unknown case {other}"),
    }
}

fn real_time_signal() -> libc::c_int {
    libc::SIGRTMIN() + 1
}

fn run(case: &str, options: &meter::Options) -> meter::Outcome {
    let spec = meter::Spec {
        name: case.into(),
        command: vec![
            std::env::current_exe().unwrap().into(),
            "--exact".into(),
            "child".into(),
            "--nocapture".into(),
            "--test-threads=1".into(),
        ],
        cwd: None,
        env: vec![(CHILD.into(), case.into())],
        output: None,
    };
    meter::measure(spec, options, &AtomicBool::new(false))
}

fn measure(case: &str) -> meter::Outcome {
    run(case, &meter::Options::default())
}

fn peak_mib(outcome: &meter::Outcome) -> f64 {
    outcome.measurement.peak_rss_bytes.unwrap() as f64 / MIB
}

/// 64 MiB touched and freed at once still shows as 64 MiB above the bare process: the
/// kernel's high-water mark, read as the process exits.
#[test]
fn memory_touched_and_freed_counts() {
    let bare = measure("nothing");
    assert_eq!(
        bare.measurement.status,
        Status::Ok,
        "{:?}",
        bare.measurement
    );
    // It never spoke the launch protocol: whether tasks overlapped is unknown, not false.
    let m = &bare.measurement;
    assert_eq!((m.tasks, m.all_alive, m.overlapped), (None, None, None));
    let touched = measure("touch-64-mib-then-free");
    let added = peak_mib(&touched) - peak_mib(&bare);
    assert!(
        (63.0..66.0).contains(&added),
        "64 MiB touched, the peak rose by {added:.1} MiB"
    );
}

/// Memory still held as the process exits counts, though no sample saw it.
#[test]
fn memory_held_at_the_exit_counts() {
    let bare = measure("nothing");
    let held = measure("touch-64-mib-at-exit");
    let added = peak_mib(&held) - peak_mib(&bare);
    assert!(
        (63.0..66.0).contains(&added),
        "64 MiB held at exit, the peak rose by {added:.1} MiB"
    );
    // The sampler read the process while it ran, and never saw the memory it took at the end.
    assert!(held.measurement.samples >= 1, "{:?}", held.measurement);
    // The timeline ends with the reading as it exited, the 64 MiB held.
    let points = &held.timeline.points;
    let (first, last) = (points[0], points[points.len() - 1]);
    assert!(last.1 - first.1 >= 63 * 1024, "{points:?}");
    assert!(last.0 >= 200, "{points:?}");
}

#[test]
fn launch_events_give_the_counts_and_times() {
    let m = measure("events").measurement;
    assert_eq!(m.status, Status::Ok, "{m:?}");
    assert_eq!(
        (m.tasks, m.completed, m.sleep_s),
        (Some(3), Some(3), Some(0.2))
    );
    // Spawned before the child's 0.2 s sleep, done after it, within the process's own time;
    // the meter stamps an event as it reads it, so the sleep may read short by the stamping
    // allowance (the start read late: 0.19998 s was seen).
    let (spawn, wall) = (m.spawn_s.unwrap(), m.wall_s.unwrap());
    let slept = 0.2 * (1.0 - harness::report::STAMPING_ALLOWANCE);
    assert!(
        spawn <= wall - slept && wall >= slept && wall <= m.process_wall_s.unwrap(),
        "{m:?}"
    );
    assert_eq!((m.all_alive, m.overlapped), (Some(true), Some(true)));
    // The timeline marks the events where they came, after the process started.
    let timeline = measure("events").timeline;
    let (start, spawned, done) = (
        timeline.start_ms.unwrap(),
        timeline.spawned_ms.unwrap(),
        timeline.done_ms.unwrap(),
    );
    assert!(start <= spawned && spawned + 200 <= done, "{timeline:?}");
    assert!(timeline.points.last().unwrap().0 >= done, "{timeline:?}");
    let m = measure("too-few-completed").measurement;
    assert_eq!(m.status, Status::Failed);
    assert_eq!(m.error.as_deref(), Some("only 2 of 3 tasks completed"));
}

#[test]
fn a_crash_names_its_signal_and_a_failure_its_last_words() {
    let m = measure("abort").measurement;
    assert_eq!((m.status, m.signal), (Status::Failed, Some(6)));
    assert!(m
        .error
        .unwrap()
        .starts_with("crashed: killed by signal 6 (SIGABRT, an abort)"));
    let m = measure("exit-3").measurement;
    assert_eq!((m.status, m.exit_code), (Status::Failed, Some(3)));
    assert!(m
        .error
        .unwrap()
        .starts_with("exited with code 3: OS limit: a test says so"));
}

/// The meter passes on every signal the traced program receives, real-time ones too (Mono
/// uses them; when one was not passed on, Mono waited for ever), and knows an end by one.
#[test]
fn real_time_signals_reach_the_program_and_can_end_it() {
    let options = meter::Options {
        timeout: Some(Duration::from_secs(30)),
        ..meter::Options::default()
    };
    let m = run("real-time-signal-handled", &options).measurement;
    assert_eq!((m.status, m.exit_code), (Status::Ok, Some(0)), "{m:?}");
    let m = run("real-time-signal-kills", &options).measurement;
    assert_eq!(m.signal, Some(real_time_signal()), "{m:?}");
    assert!(m.process_wall_s.unwrap() < 30.0, "{m:?}");
}

#[test]
fn a_hang_is_killed_at_its_timeout() {
    let options = meter::Options {
        timeout: Some(Duration::from_millis(500)),
        ..meter::Options::default()
    };
    let outcome = run("hang", &options);
    assert_eq!(outcome.ending, meter::RunEnd::TimedOut);
    assert_eq!(
        outcome.measurement.error.as_deref(),
        Some("timed out after 0.5 s and was killed")
    );
    // Killed: the hang would have run 60 s.
    assert!(outcome.measurement.process_wall_s.unwrap() < 60.0);
    let spawning = run("hang-while-spawning", &options).measurement;
    assert_eq!(
        spawning.error.as_deref(),
        Some("timed out after 0.5 s and was killed, still spawning its tasks")
    );
}

/// In a cgroup of its own, the run has a kernel share; where none can be made, it says why.
#[test]
fn the_kernels_share_is_measured_where_a_cgroup_can_be_made() {
    let outcome = measure("touch-64-mib-then-free");
    match meter::cgroup_version() {
        Ok(version) => {
            let kernel = outcome.measurement.kernel.expect("a cgroup was made");
            assert_eq!(kernel.cgroup, version);
            assert!(kernel.total_peak_bytes as f64 > 60.0 * MIB, "{kernel:?}");
            assert!(kernel.kernel_peak_bytes.unwrap_or(0) > 0, "{kernel:?}");
        }
        Err(why) => {
            assert!(outcome.measurement.kernel.is_none());
            eprintln!("not checked: {why}");
        }
    }
}

/// The command line: one JSON line on stdout, the program's exit mirrored, bad usage exit 2.
#[test]
fn the_command_line_prints_one_line_and_mirrors_the_exit() {
    let meter = env!("CARGO_BIN_EXE_meter");
    let output = std::process::Command::new(meter)
        .args(["--name", "sh", "--", "sh", "-c", "echo hello; exit 3"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    let m: results::Measurement = serde_json::from_str(&stdout).unwrap();
    assert_eq!((m.implementation.as_str(), m.exit_code), ("sh", Some(3)));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("hello\n"),
        "the program's output goes to stderr: {stderr}"
    );
    // Without `--`, the command starts at the first word that is not the meter's option.
    let output = std::process::Command::new(meter)
        .args(["--no-cgroup", "sh", "-c", "exit 0"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    for (args, named) in [
        (&[][..], "<COMMAND>"),
        (&["--timeout", "0", "--", "true"][..], "invalid timeout '0'"),
        (&["--timeout", "-1", "true"][..], "invalid timeout '-1'"),
        (&["--timeout", "abc", "true"][..], "invalid timeout 'abc'"),
        (&["--interval", "0", "--", "true"][..], "--interval"),
        (&["--interval", "-1", "true"][..], "'-1'"),
        (&["--bogus", "--", "true"][..], "--bogus"),
    ] {
        let output = std::process::Command::new(meter)
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("error: ") && stderr.contains(named),
            "{args:?}: {stderr}"
        );
    }
}
