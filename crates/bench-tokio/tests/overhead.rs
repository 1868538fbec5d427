//! The harness must not show in the numbers: bench-tokio's peak against the bare article
//! program (src/bin/bare-tokio.rs) doing the same work.
use harness::proc::Status;
use harness::report::MIB;
use std::process::Command;

/// The peak of one run, in bytes: the harness's JSON line, or the bare program's VmHWM line.
fn peak(harnessed: bool, tasks: usize, sleep_s: f64) -> u64 {
    let (bin, args) = match harnessed {
        true => (
            env!("CARGO_BIN_EXE_bench-tokio"),
            vec![tasks.to_string(), "--sleep".into(), sleep_s.to_string()],
        ),
        false => (
            env!("CARGO_BIN_EXE_bare-tokio"),
            vec![tasks.to_string(), sleep_s.to_string()],
        ),
    };
    let output = Command::new(bin).args(&args).output().unwrap();
    assert!(output.status.success(), "{bin} {args:?}: {output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    match harnessed {
        true => {
            serde_json::from_str::<harness::Report>(stdout.trim())
                .unwrap()
                .peak_rss_bytes
        }
        false => Status::parse(&stdout).peak_rss_bytes,
    }
}

/// The medians of `runs` peaks of each program, in MiB. One run of either varies by about
/// ±0.13 MiB at one task (which threads allocate first), so a single pair can mislead.
fn peaks(tasks: usize, sleep_s: f64, runs: usize) -> (f64, f64) {
    let median = |harnessed| {
        let mut peaks: Vec<u64> = (0..runs).map(|_| peak(harnessed, tasks, sleep_s)).collect();
        peaks.sort_unstable();
        peaks[peaks.len() / 2] as f64 / MIB
    };
    (median(true), median(false))
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
