//! Cells that fail and command lines that are refused, each said in its own words.

use crate::support::*;
use std::path::Path;

/// The first five rows of the failure stand-ins, each saying why in its own words.
fn assert_each_failure_says_why(rows: &[serde_json::Value]) {
    let errors: Vec<&str> = rows
        .iter()
        .map(|r| r["error"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(errors[0], "timed out after 1 s and was killed");
    assert!(
        errors[1].starts_with("crashed: killed by signal 6 (SIGABRT"),
        "{}",
        errors[1]
    );
    assert_eq!(errors[2], "exited with code 1: bye");
    assert!(
        errors[3].starts_with("the program did not report its launch"),
        "{}",
        errors[3]
    );
    assert_eq!(rows[4]["status"], "skipped");
    assert!(
        errors[4].starts_with("no Shell toolchain (")
            && errors[4].ends_with("install it with apt-get install absent"),
        "{}",
        errors[4]
    );
}

#[test]
fn a_hang_is_killed_a_crash_recorded_a_missing_toolchain_skipped_and_the_matrix_goes_on() {
    let _drivers = drivers_may_start();
    let out = temp_dir("hang");
    let stand = Stand::new("hang");
    stand
        .script("hang", 1, "exec sleep 60")
        .script("abort", 2, "kill -ABRT $$")
        .script("bye", 3, "echo bye >&2; exit 1")
        .script("silent", 4, "exit 0")
        .add("absent", 5, &["nothing"], "exit 1")
        .add("smol", 6, &[built("smol").to_str().unwrap()], "true");
    let started = std::time::Instant::now();
    let output = driver(&[
        "--tasks",
        "10",
        "--sleep",
        "0.1",
        "--timeout",
        "1",
        "--out",
        out.to_str().unwrap(),
        "--root",
        stand.root(),
    ]);
    // Killed at its timeout: left alone, the hang alone would have taken 60 s.
    assert!(started.elapsed().as_secs() < 60, "the hang was not killed");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let rows = rows(&out);
    assert_each_failure_says_why(&rows);
    assert_eq!(
        rows[5]["status"], "ok",
        "the cell after the failures still ran"
    );
    assert!(
        stderr.contains("[1/6] hang 10: failed: timed out"),
        "{stderr}"
    );
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        report.contains("hang at 10 tasks: failed: timed out after 1 s"),
        "{report}"
    );
}

/// Runs the driver from `cwd` (so that a run started by mistake writes nowhere that
/// matters) and returns its exit code and stderr.
fn driver_in(cwd: &Path, args: &[&str]) -> (Option<i32>, String) {
    let output = driver_command()
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Command lines the driver refuses, each with what its one line of error names.
const BAD_ARGS: &[(&[&str], &str)] = &[
    (
        &["--implementations", "nope"],
        "unknown implementation 'nope': expected one of threads, threads-64k",
    ),
    (&["--implementations", ""], "unknown implementation ''"),
    (
        &["--implementations", "tokio,"],
        "unknown implementation ''",
    ),
    (
        &["--implementations", "tokio,tokio"],
        "implementation 'tokio' is given twice",
    ),
    (
        &["--implementations", "tokio", "--implementations", "tokio"],
        "implementation 'tokio' is given twice",
    ),
    (&["--tasks", "abc"], "invalid task count 'abc'"),
    (
        &["--tasks", "-5"],
        "invalid task count '-5': must not be negative",
    ),
    (&["--tasks", "1.5"], "invalid task count '1.5'"),
    (&["--tasks", "1,1"], "task count 1 is given twice"),
    (&["--tasks", "1k,1000"], "task count 1000 is given twice"),
    (&["--tasks", ""], "invalid task count ''"),
    (&["--tasks", "99999999999999999999"], "too large"),
    (&["--sleep", "-1"], "invalid sleep '-1'"),
    (&["--sleep", "abc"], "invalid sleep 'abc'"),
    (&["--sleep", "inf"], "invalid sleep 'inf'"),
    (&["--timeout", "abc"], "invalid timeout 'abc'"),
    (&["--timeout", "0"], "invalid timeout '0'"),
    (&["--timeout", "-3"], "invalid timeout '-3'"),
    (&["--repeat", "0"], "invalid repeat '0'"),
    (&["--repeat", "abc"], "invalid repeat 'abc'"),
    (&["--repeat", "-1"], "invalid repeat '-1'"),
    (&["--interval", "0"], "--interval"),
    (&["--interval", "-1"], "'-1'"),
    (&["--bogus"], "--bogus"),
    (&["extra"], "'extra'"),
    (&["--out"], "--out"),
    (&["--sleep", "1", "--sleep", "2"], "--sleep"),
];

#[test]
fn bad_input_is_one_line_naming_it_and_exit_2() {
    let _drivers = drivers_may_start();
    let cwd = temp_dir("bad-input");
    let file = cwd.join("a-file");
    std::fs::write(&file, "").unwrap();
    let under_file = format!("{}/results", file.display());
    let broken = Stand::new("broken");
    broken.add("odd", 1, &["true"], "true");
    let manifest = broken.root.join("peers/odd/bench.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, text.replace("event-loop", "fibres")).unwrap();
    let out_under_file = ["--out", &under_file];
    let broken_root = ["--root", broken.root()];
    let dynamic: [(&[&str], &str); 3] = [
        (
            &["--out", "/proc/none/results"],
            "cannot write results to '/proc/none/results'",
        ),
        (&out_under_file, "cannot write results to '"),
        (&broken_root, "peers/odd/bench.toml"),
    ];
    let cases: Vec<_> = BAD_ARGS.iter().chain(&dynamic).collect();
    assert!(cases.len() >= 20);
    for (args, named) in cases {
        let (code, stderr) = driver_in(&cwd, args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("error: ") && stderr.contains(named),
            "{args:?}: {stderr} should name {named}"
        );
        // A cause printed as part of its error's message is not printed again after it.
        let cause = stderr.trim().rsplit(": ").next().unwrap();
        assert_eq!(stderr.matches(cause).count(), 1, "{args:?}: {stderr}");
    }
    assert!(
        !cwd.join("results").exists(),
        "no bad input may start a run"
    );
}
