//! Cells side by side, overlapping only in their sleeps, each measured apart.

use crate::support::*;
use std::path::Path;

/// A stand-in that speaks the launch protocol, holds `hold` (a shell command whose output it
/// keeps in memory) through its sleep, and logs when it started and slept.
fn protocol_script(name: &str, hold: &str, log: &Path) -> String {
    format!(
        "tasks=$1 sleep_s=$3\n\
         echo \"{name} launching $(date +%s.%N)\" >> {log}\n\
         echo \"start $tasks $sleep_s\" >> \"$BENCH_EVENTS\"\n\
         held=$({hold})\n\
         echo \"spawned $tasks\" >> \"$BENCH_EVENTS\"\n\
         echo \"{name} from $(date +%s.%N)\" >> {log}\n\
         sleep \"$sleep_s\"\n\
         echo \"{name} to $(date +%s.%N)\" >> {log}\n\
         echo \"done $tasks\" >> \"$BENCH_EVENTS\"\n\
         test -n \"$held\"",
        log = log.display()
    )
}

/// Asserts, by the times `log` has, that stand-in `later` launched while `first` slept and
/// woke after it: they slept at once, and neither's launch or wake met the other's.
fn assert_overlapped_only_in_sleeps(log: &Path, first: &str, later: &str) {
    let slept = std::fs::read_to_string(log).unwrap();
    let at = |line: String| -> f64 {
        let found = slept.lines().find(|l| l.starts_with(&line)).unwrap();
        found.rsplit(' ').next().unwrap().parse().unwrap()
    };
    assert!(
        at(format!("{first} from")) < at(format!("{later} launching"))
            && at(format!("{later} from")) < at(format!("{first} to"))
            && at(format!("{first} to")) < at(format!("{later} to")),
        "{later} launched while {first} slept, and woke after it: {slept}"
    );
}

/// Two cells side by side are measured apart: a program holding 150 MB and a small one run at
/// once, the small one launched in the large one's sleep, each with its own row, peak and
/// cgroup; the small one reads what it reads alone, and its cgroup counts nothing of the
/// large one. The sleep leaves room for the small one's unforeseen start, launch and wakes
/// (`overlap`) before the large one wakes.
#[test]
fn two_cells_side_by_side_are_measured_apart() {
    let _drivers = drivers_may_start();
    let stand = Stand::new("side-by-side");
    let log = stand.root.join("slept.log");
    stand
        .script(
            "large",
            1,
            &protocol_script("large", "head -c 150000000 /dev/zero | tr '\\0' x", &log),
        )
        .script("small", 2, &protocol_script("small", "echo x", &log));
    let run = |name: &str, more: &[&str]| {
        let out = temp_dir(name);
        let mut args = vec!["--tasks", "1", "--sleep", "8", "--root", stand.root()];
        args.extend(more);
        args.extend(["--out", out.to_str().unwrap()]);
        let output = driver(&args);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        rows(&out)
    };
    let side_by_side = run("side-by-side-both", &[]);
    assert_overlapped_only_in_sleeps(&log, "large", "small");
    let alone = run(
        "side-by-side-alone",
        &["--implementations", "small", "--one-at-a-time"],
    );
    let peak = |row: &serde_json::Value| row["peak_rss_bytes"].as_u64().unwrap();
    let total = |row: &serde_json::Value| row["kernel"]["total_peak_bytes"].as_u64();
    let (large, small) = (&side_by_side[0], &side_by_side[1]);
    for row in [large, small] {
        assert_eq!(
            (row["status"].as_str(), &row["beside_others"]),
            (Some("ok"), &true.into())
        );
    }
    assert!(alone[0].get("beside_others").is_none(), "{}", alone[0]);
    assert!(peak(large) > 150_000_000, "{large}");
    let moved = peak(small).abs_diff(peak(&alone[0]));
    assert!(
        moved < 1 << 20,
        "small: {} beside, {} alone",
        peak(small),
        peak(&alone[0])
    );
    if let (Some(large_total), Some(small_total)) = (total(large), total(small)) {
        assert!(large_total > 150_000_000, "{large}");
        assert!(
            small_total < 20 << 20,
            "its cgroup counts only its own: {small}"
        );
    }
}
