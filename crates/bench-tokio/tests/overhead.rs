//! The harness must not show in the numbers: bench-tokio's peak against the bare article
//! program (src/bin/bare-tokio.rs) doing the same work.
use harness::proc::Status;
use harness::report::MIB;
use harness::testkit::{check_run, run};

const BIN: &str = env!("CARGO_BIN_EXE_bench-tokio");

/// The bare program's peak, in bytes.
fn bare_peak(tasks: usize, sleep_s: f64) -> u64 {
    let bare = env!("CARGO_BIN_EXE_bare-tokio");
    let outcome = run(bare, &[&tasks.to_string(), &sleep_s.to_string()]);
    assert_eq!(outcome.code, 0, "{outcome:?}");
    Status::parse(&outcome.stdout).peak_rss_bytes
}

fn peaks(tasks: usize, sleep_s: f64) -> (f64, f64) {
    let harnessed = check_run(BIN, "tokio", tasks, sleep_s).peak_rss_bytes;
    let bare = bare_peak(tasks, sleep_s);
    (harnessed as f64 / MIB, bare as f64 / MIB)
}

#[test]
fn harness_adds_under_a_third_of_a_mib_to_one_task() {
    let (harnessed, bare) = peaks(1, 0.2);
    assert!(
        (harnessed - bare).abs() < 0.3,
        "harnessed {harnessed:.2} MiB, bare {bare:.2} MiB"
    );
}

#[test]
fn harness_adds_under_two_percent_to_many_tasks() {
    let (harnessed, bare) = peaks(100_000, 1.0);
    let ratio = harnessed / bare;
    assert!(
        (0.98..1.02).contains(&ratio),
        "harnessed {harnessed:.1} MiB, bare {bare:.1} MiB"
    );
}
