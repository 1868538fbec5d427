//! Checks that every bench binary must pass, shared by their integration tests
//! (feature `testkit`, enabled only as a dev-dependency).

use crate::report::{Report, Status, MIB};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What a finished bench process left behind.
#[derive(Debug)]
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    /// The one JSON line on stdout.
    pub fn report(&self) -> Report {
        let lines: Vec<&str> = self.stdout.lines().collect();
        assert_eq!(
            lines.len(),
            1,
            "stdout must be one JSON line: {:?}",
            self.stdout
        );
        serde_json::from_str(lines[0]).unwrap_or_else(|e| panic!("{e}: {:?}", lines[0]))
    }
}

/// Longer than any run of the tests needs: a run that takes this long has serialised its
/// tasks or hangs, and is killed so that the test fails rather than waits.
const RUN_TIMEOUT: Duration = Duration::from_secs(60);

/// Runs `bin` to its end; a crash, a hang or a panic fails the test.
pub fn run(bin: &str, args: &[&str]) -> Outcome {
    let outcome = try_run(bin, args, RUN_TIMEOUT).unwrap_or_else(|why| panic!("{why}"));
    assert!(
        !outcome.stderr.contains("panicked"),
        "{bin} panicked: {}",
        outcome.stderr
    );
    outcome
}

/// Runs `bin` to its end, or says why it has none: killed by a signal, or still running
/// after `timeout` (then it is killed).
pub fn try_run(bin: &str, args: &[&str], timeout: Duration) -> Result<Outcome, String> {
    use std::os::unix::process::ExitStatusExt;
    let mut child = Command::new(bin)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {bin}: {e}"));
    let deadline = Instant::now() + timeout;
    while child.try_wait().expect("waitable").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "{bin} {args:?} ran longer than {timeout:?}: its tasks did not overlap, or it hangs"
            ));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let output = child
        .wait_with_output()
        .expect("output of a finished child");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let Some(code) = output.status.code() else {
        let signal = output.status.signal().unwrap_or(0);
        return Err(format!(
            "{bin} {args:?} was killed by signal {signal}: {stderr}"
        ));
    };
    Ok(Outcome {
        code,
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr,
    })
}

/// Runs at the shortest sleeps, where timers fire while tasks are still being set up: `runs`
/// runs at each sleep, back to back in two streams so that both cores are busy and threads
/// get preempted. Any crash, hang or lost task fails the test, with the count of bad runs.
pub fn check_no_crash_at_tiny_sleeps(bin: &str, runtime: &str, runs: usize) {
    const STREAMS: usize = 2;
    let failures: Vec<String> = std::thread::scope(|scope| {
        let streams: Vec<_> = (0..STREAMS)
            .map(|stream| {
                scope.spawn(move || {
                    let mut failures = Vec::new();
                    for sleep in ["0", "0.001"] {
                        for index in (stream..runs).step_by(STREAMS) {
                            if let Some(why) = tiny_sleep_failure(bin, runtime, sleep) {
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
    assert!(
        failures.is_empty(),
        "{} of {} runs of {bin} failed:\n{}",
        failures.len(),
        2 * runs,
        failures.join("\n")
    );
}

/// What went wrong in one run of 1,000 tasks sleeping `sleep` seconds, if anything.
fn tiny_sleep_failure(bin: &str, runtime: &str, sleep: &str) -> Option<String> {
    const TASKS: usize = 1000;
    const TIMEOUT: Duration = Duration::from_secs(20);
    match try_run(bin, &[&TASKS.to_string(), "--sleep", sleep], TIMEOUT) {
        Err(why) => Some(why),
        Ok(outcome) if outcome.code != 0 => {
            Some(format!("exit {}: {}", outcome.code, outcome.stderr))
        }
        Ok(outcome) => {
            let report = outcome.report();
            (report.runtime != runtime || report.completed != TASKS)
                .then(|| format!("{} of {TASKS} completed", report.completed))
        }
    }
}

/// `tasks` tasks sleeping `sleep_s` all complete, side by side (for one task or more),
/// and the report adds up.
pub fn check_run(bin: &str, runtime: &str, tasks: usize, sleep_s: f64) -> Report {
    let outcome = run(bin, &[&tasks.to_string(), "--sleep", &sleep_s.to_string()]);
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    let report = outcome.report();
    assert_eq!(report.runtime, runtime);
    assert_eq!(report.status, Status::Ok);
    assert_eq!((report.tasks, report.completed), (tasks, tasks));
    assert_eq!(report.sleep_s, sleep_s);
    assert!(
        tasks == 0 || (sleep_s <= report.wall_s && report.wall_s < 2.0 * sleep_s),
        "{tasks} sleeps of {sleep_s} s took {} s: they did not run side by side",
        report.wall_s
    );
    assert!(report.spawn_s <= report.wall_s);
    assert!(report.all_alive && report.overlapped, "{report:?}");
    assert!(report.peak_rss_bytes > 0 && report.page_tables_bytes > 0 && report.threads >= 1);
    assert!(tasks == 0 || report.user_s + report.sys_s > 0.0);
    assert_ne!(report.runtime_version, "unknown");
    assert!(outcome
        .stderr
        .starts_with(&format!("{runtime}: {tasks} tasks, peak ")));
    report
}

/// With no task the run measures the bare runtime, and tasks add memory on top of it.
pub fn check_tasks_cost_memory(bin: &str, runtime: &str, tasks: usize) {
    let bare = check_run(bin, runtime, 0, 0.2);
    assert_eq!(bare.completed, 0);
    let loaded = check_run(bin, runtime, tasks, 0.5);
    assert!(
        loaded.peak_rss_bytes > bare.peak_rss_bytes + tasks as u64 * 64,
        "{tasks} tasks should cost more than 64 B each: {} then {} bytes",
        bare.peak_rss_bytes,
        loaded.peak_rss_bytes
    );
}

/// Bad input: exit 2, nothing on stdout, one `error:` line that names the bad value.
pub fn check_usage_errors(bin: &str) {
    for (args, named) in [
        (&["abc"][..], "'abc'"),
        (&["-5"][..], "'-5'"),
        (&["1.5"][..], "'1.5'"),
        (&["10", "--sleep", "-1"][..], "'-1'"),
        (&["10", "--bogus"][..], "--bogus"),
        (&[][..], "missing task count"),
    ] {
        let outcome = run(bin, args);
        assert_eq!(outcome.code, 2, "{args:?}: {outcome:?}");
        assert_eq!(outcome.stdout, "", "{args:?}");
        assert_eq!(
            outcome.stderr.lines().count(),
            1,
            "{args:?}: {}",
            outcome.stderr
        );
        assert!(
            outcome.stderr.starts_with("error: "),
            "{args:?}: {}",
            outcome.stderr
        );
        assert!(
            outcome.stderr.contains(named),
            "{args:?}: {}",
            outcome.stderr
        );
    }
}

/// `--help` and `--version` answer on stdout with exit 0; the version names the runtime's.
pub fn check_help_and_version(bin: &str, runtime: &str) {
    let help = run(bin, &["--help"]);
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("--sleep <SECONDS>"), "{}", help.stdout);
    let version = run(bin, &["--version"]);
    assert_eq!(version.code, 0);
    let expected = format!("({runtime} {})", crate::runtime_version(runtime));
    assert!(version.stdout.contains(&expected), "{}", version.stdout);
}

/// Started by a parent holding `parent_mib`, the binary still reports its own small peak,
/// while ru_maxrss carries the parent's size.
pub fn check_peak_is_its_own_under_a_large_parent(bin: &str, runtime: &str) {
    const PARENT_MIB: usize = 256;
    let ballast = vec![1u8; PARENT_MIB << 20];
    let report = check_run(bin, runtime, 0, 0.0);
    assert!(
        report.ru_maxrss_bytes as f64 >= PARENT_MIB as f64 * MIB,
        "ru_maxrss {} should show the parent's {PARENT_MIB} MiB",
        report.ru_maxrss_bytes
    );
    assert!(
        report.peak_rss_bytes < 64 << 20,
        "peak {} bytes is not the bare runtime's own",
        report.peak_rss_bytes
    );
    drop(std::hint::black_box(ballast));
}

/// The checks every bench binary must pass, as `#[test]`s for `bench-<runtime>`.
#[macro_export]
macro_rules! behaviour_tests {
    ($runtime:literal, tasks = $tasks:expr) => {
        const BIN: &str = env!(concat!("CARGO_BIN_EXE_bench-", $runtime));

        #[test]
        fn runs_overlapping_tasks_and_counts_every_one() {
            $crate::testkit::check_run(BIN, $runtime, $tasks, 1.0);
        }

        #[test]
        fn tasks_cost_memory_above_the_bare_runtime() {
            $crate::testkit::check_tasks_cost_memory(BIN, $runtime, $tasks);
        }

        #[test]
        fn bad_usage_is_one_error_line_and_exit_2() {
            $crate::testkit::check_usage_errors(BIN);
        }

        #[test]
        fn help_and_version() {
            $crate::testkit::check_help_and_version(BIN, $runtime);
        }

        #[test]
        fn no_crash_hang_or_lost_task_at_tiny_sleeps() {
            $crate::testkit::check_no_crash_at_tiny_sleeps(BIN, $runtime, 500);
        }

        #[test]
        fn peak_is_its_own_under_a_large_parent() {
            $crate::testkit::check_peak_is_its_own_under_a_large_parent(BIN, $runtime);
        }
    };
}

/// A number from `/proc/sys/...`, such as `kernel/pid_max`.
pub fn sysctl(name: &str) -> u64 {
    crate::proc::read_number(&format!("/proc/sys/{name}")).expect("sysctl is readable")
}

/// Asking for `tasks` more than `limit` (now `current`) allows: exit 3 before any task runs,
/// and one error that names the limit, its value and the command that raises it.
pub fn check_os_limit_is_reported(bin: &str, tasks: u64, limit: &str, current: u64) {
    let outcome = run(bin, &[&tasks.to_string(), "--sleep", "0"]);
    assert_eq!(outcome.code, 3, "{outcome:?}");
    let report = outcome.report();
    assert_eq!((report.status, report.completed), (Status::Failed, 0));
    let error = report.error.expect("a failed run says why");
    assert!(
        error.contains(&format!("{limit} is {current}, ")),
        "{error}"
    );
    assert!(error.contains(&format!("sysctl -w {limit}=")), "{error}");
    assert_eq!(outcome.stderr.lines().count(), 1, "{}", outcome.stderr);
    assert!(outcome.stderr.contains(&error));
}
