//! The harness's own measurement, checked in a child process of known behaviour: this test
//! binary runs itself again with `CHILD` set to the case the child should act out.

use harness::report::{Report, ReportStatus, MIB};
use harness::Run;
use std::process::Command;

const CHILD: &str = "HARNESS_TEST_CHILD";

/// Runs `case` in a fresh copy of this test binary and returns its exit code and report.
fn in_child(case: &str) -> (i32, Report) {
    let output = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child", "--nocapture", "--test-threads=1"])
        .env(CHILD, case)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    // The test runner prints "test child ... " before the child's JSON line.
    let json = stdout
        .lines()
        .find_map(|line| line.split_once(" ... {"))
        .map_or_else(
            || {
                panic!(
                    "no report from child: {stdout} {}",
                    String::from_utf8_lossy(&output.stderr)
                )
            },
            |(_, json)| format!("{{{json}"),
        );
    (
        output.status.code().unwrap(),
        serde_json::from_str(&json).unwrap(),
    )
}

/// The child's side: does what `CHILD` says, then reports like a bench binary.
#[test]
fn child() {
    let Ok(case) = std::env::var(CHILD) else {
        return;
    };
    let mut run = Run::from_args("touch", ["1", "--sleep", "0"]);
    match case.as_str() {
        "touch-64-mib-then-free" => {
            let touched = vec![1u8; 64 << 20];
            drop(std::hint::black_box(touched));
        }
        "thread-refused" => {
            let refused = Err(std::io::Error::from_raw_os_error(libc::EAGAIN));
            run.spawned::<()>(refused);
        }
        _ => {}
    }
    run.all_spawned();
    run.joined(true);
    run.finish()
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / MIB
}

/// The peak is the high-water mark: 64 MiB touched and freed again still shows as 64 MiB
/// above the bare process.
#[test]
fn peak_counts_memory_touched_and_freed() {
    let (code, bare) = in_child("nothing");
    assert_eq!(
        (code, bare.status, bare.completed),
        (0, ReportStatus::Ok, 1)
    );
    let (_, touched) = in_child("touch-64-mib-then-free");
    let added = mib(touched.peak_rss_bytes) - mib(bare.peak_rss_bytes);
    assert!(
        (63.0..66.0).contains(&added),
        "64 MiB touched, peak rose by {added:.1} MiB"
    );
}

/// A refused thread is an OS limit: exit 3 with the OS's reason and how far the run got.
#[test]
fn refused_thread_is_an_os_limit() {
    let (code, report) = in_child("thread-refused");
    assert_eq!(
        (code, report.status, report.completed),
        (3, ReportStatus::Failed, 0)
    );
    let error = report.error.unwrap();
    assert!(
        error.starts_with("OS limit: the OS refused thread 1 of 1: "),
        "{error}"
    );
    assert!(
        error.contains("Resource temporarily unavailable"),
        "{error}"
    );
}
