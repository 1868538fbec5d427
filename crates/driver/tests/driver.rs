//! The driver end to end: real bench binaries with tiny counts and a short sleep, and stand-in
//! binaries that hang or crash.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const DRIVER: &str = env!("CARGO_BIN_EXE_driver");

/// The directory of the built bench binaries, built now so that this test stands alone.
fn bin_dir() -> PathBuf {
    let built = Command::new(env!("CARGO"))
        .args([
            "build",
            "--quiet",
            "--locked",
            "-p",
            "bench-tokio",
            "-p",
            "bench-smol",
        ])
        .status()
        .expect("cargo runs");
    assert!(built.success());
    Path::new(DRIVER).parent().unwrap().to_path_buf()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("driver-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn driver(args: &[&str]) -> Output {
    Command::new(DRIVER).args(args).output().unwrap()
}

fn rows(out: &Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(out.join("results.jsonl")).unwrap();
    text.lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn runs_two_runtimes_into_results_env_and_report() {
    let out = temp_dir("e2e");
    let bins = bin_dir();
    let output = driver(&[
        "--runtimes",
        "tokio,smol",
        "--tasks",
        "1,100",
        "--sleep",
        "0.2",
        "--repeat",
        "2",
        "--out",
        out.to_str().unwrap(),
        "--bin-dir",
        bins.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("[1/8] tokio 1 (run 1/2): "), "{stderr}");
    assert!(
        stderr.contains("8 of 8 cells: 8 ok, 0 failed, 0 skipped"),
        "{stderr}"
    );

    let rows = rows(&out);
    assert_eq!(rows.len(), 8);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row["index"], i + 1);
        assert_eq!(row["status"], "ok", "{row}");
        assert_eq!(row["completed"], row["tasks"]);
        assert!(row["peak_rss_bytes"].as_u64().unwrap() > 0);
    }
    let order: Vec<(&str, u64)> = rows
        .iter()
        .map(|r| (r["runtime"].as_str().unwrap(), r["tasks"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        order[..4],
        [("tokio", 1), ("tokio", 1), ("smol", 1), ("smol", 1)]
    );

    let env: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("env.json")).unwrap()).unwrap();
    for field in [
        "date",
        "cpu_model",
        "cores",
        "memory_total_bytes",
        "kernel",
        "rustc",
        "git_commit",
        "git_dirty",
    ] {
        assert!(env.get(field).is_some(), "env.json lacks {field}: {env}");
    }
    assert_eq!(
        env["runtime_versions"]["tokio"],
        harness::runtime_version("tokio")
    );
    assert!(env["limits"]["vm.max_map_count"].is_string());

    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        report.contains("| runtime | version | 1 | 100 | bytes/task |"),
        "{report}"
    );
    assert!(report.contains("| tokio | ") && report.contains("| smol | "));
    for chart in [
        "peak-1.svg",
        "peak-100.svg",
        "peak-vs-tasks.svg",
        "launch-vs-tasks.svg",
    ] {
        let svg = std::fs::read_to_string(out.join(chart)).unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{chart}: {e}"));
        assert_eq!(doc.root_element().tag_name().name(), "svg");
        let text: String = doc.descendants().filter_map(|n| n.text()).collect();
        assert!(
            text.contains("tokio") && text.contains("smol"),
            "{chart} names every runtime"
        );
    }
}

/// Stand-ins for bench binaries: a script per runtime name.
fn stand_ins(dir: &Path, scripts: &[(&str, &str)]) {
    use std::os::unix::fs::PermissionsExt;
    for (runtime, body) in scripts {
        let path = dir.join(format!("bench-{runtime}"));
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[test]
fn a_hang_is_killed_at_its_timeout_a_crash_is_recorded_and_the_matrix_goes_on() {
    let out = temp_dir("hang");
    let bins = temp_dir("hang-bins");
    stand_ins(
        &bins,
        &[
            ("tokio", "exec sleep 60"),
            ("async-std", "kill -ABRT $$"),
            ("smol", "echo bye >&2; exit 1"),
        ],
    );
    std::os::unix::fs::symlink(bin_dir().join("bench-smol"), bins.join("bench-threads")).unwrap();
    let started = std::time::Instant::now();
    let output = driver(&[
        "--runtimes",
        "tokio,async-std,smol,threads",
        "--tasks",
        "10",
        "--sleep",
        "0.1",
        "--timeout",
        "1",
        "--out",
        out.to_str().unwrap(),
        "--bin-dir",
        bins.to_str().unwrap(),
    ]);
    assert!(started.elapsed().as_secs() < 30, "the hang was not killed");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let rows = rows(&out);
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
    assert_eq!(errors[2], "exited with code 1 without a report: bye");
    assert_eq!(
        rows[3]["status"], "ok",
        "the cell after the failures still ran"
    );
    assert!(
        stderr.contains("[1/4] tokio 10: failed: timed out"),
        "{stderr}"
    );
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        report.contains("tokio at 10 tasks: failed: timed out after 1 s"),
        "{report}"
    );
}

#[test]
fn bad_options_are_one_clear_error_and_exit_2() {
    for (args, named) in [
        (
            &["--runtimes", "nope"][..],
            "unknown runtime 'nope': expected one of threads, tokio",
        ),
        (&["--tasks", "abc"][..], "invalid task count 'abc'"),
        (&["--sleep", "-1"][..], "invalid sleep '-1'"),
        (&["--repeat", "0"][..], "--repeat"),
        (&["--bogus"][..], "--bogus"),
    ] {
        let output = driver(args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("error: ") && stderr.contains(named),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn diff_script_shows_two_implementations_and_lists_the_valid_names() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/diff.sh");
    let output = Command::new(&script)
        .args(["tokio", "smol"])
        .output()
        .unwrap();
    let diff = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        diff.contains("-use tokio::{task, time};") && diff.contains("+use smol::Timer;"),
        "{diff}"
    );
    assert!(
        !diff.contains("-    let mut tasks = Vec::new();"),
        "the shared lines are not in the diff"
    );

    let output = Command::new(&script)
        .args(["tokio", "nope"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr.contains("unknown implementation 'nope': expected one of: async-std glommio may smol threads tokio"), "{stderr}");
}
