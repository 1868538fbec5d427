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

/// The medians of `runs` peaks of each program, in MiB. One run of either varies by about
/// ±0.13 MiB at one task (which threads allocate first), so a single pair can mislead.
fn peaks(tasks: usize, sleep_s: f64, runs: usize) -> (f64, f64) {
    let median = |mut peaks: Vec<u64>| {
        peaks.sort_unstable();
        peaks[peaks.len() / 2] as f64 / MIB
    };
    let harnessed = (0..runs).map(|_| check_run(BIN, "tokio", tasks, sleep_s).peak_rss_bytes);
    let harnessed = median(harnessed.collect());
    let bare = median((0..runs).map(|_| bare_peak(tasks, sleep_s)).collect());
    (harnessed, bare)
}

#[test]
fn harness_adds_under_a_third_of_a_mib_to_one_task() {
    let (harnessed, bare) = peaks(1, 0.2, 9);
    assert!(
        (harnessed - bare).abs() < 0.3,
        "harnessed {harnessed:.2} MiB, bare {bare:.2} MiB (medians of 9 runs)"
    );
}

#[test]
fn harness_adds_under_two_percent_to_many_tasks() {
    let (harnessed, bare) = peaks(100_000, 1.0, 3);
    let ratio = harnessed / bare;
    assert!(
        (0.98..1.02).contains(&ratio),
        "harnessed {harnessed:.1} MiB, bare {bare:.1} MiB (medians of 3 runs)"
    );
}
