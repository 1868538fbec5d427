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

/// Runs the driver from `cwd` (so that a run started by mistake writes nowhere that
/// matters) and returns its exit code and stderr.
fn driver_in(cwd: &Path, args: &[&str]) -> (Option<i32>, String) {
    let output = Command::new(DRIVER)
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn bad_input_is_one_line_naming_it_and_exit_2() {
    let cwd = temp_dir("bad-input");
    let file = cwd.join("a-file");
    std::fs::write(&file, "").unwrap();
    let under_file = format!("{}/results", file.display());
    let cases: &[(&[&str], &str)] = &[
        (
            &["--runtimes", "nope"],
            "unknown runtime 'nope': expected one of threads, tokio",
        ),
        (&["--runtimes", ""], "unknown runtime ''"),
        (&["--runtimes", "tokio,"], "unknown runtime ''"),
        (
            &["--runtimes", "tokio,tokio"],
            "runtime 'tokio' is given twice",
        ),
        (
            &["--runtimes", "tokio", "--runtimes", "tokio"],
            "runtime 'tokio' is given twice",
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
        (&["--bogus"], "--bogus"),
        (&["extra"], "'extra'"),
        (&["--out"], "--out"),
        (&["--sleep", "1", "--sleep", "2"], "--sleep"),
        (
            &["--out", "/proc/none/results"],
            "cannot write results to '/proc/none/results'",
        ),
        (&["--out", &under_file], "cannot write results to '"),
        (
            &["--bin-dir", "/nonexistent"],
            "invalid --bin-dir '/nonexistent'",
        ),
    ];
    assert!(cases.len() >= 20);
    for (args, named) in cases {
        let (code, stderr) = driver_in(&cwd, args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("error: ") && stderr.contains(named),
            "{args:?}: {stderr} should name {named}"
        );
    }
    assert!(
        !cwd.join("results").exists(),
        "no bad input may start a run"
    );
}

/// Whether process `pid` is running (a zombie has ended).
fn running(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|stat| {
            let state = stat.rsplit_once(") ").map_or("", |(_, rest)| rest);
            !state.starts_with('Z') && !state.starts_with('X')
        })
        .unwrap_or(false)
}

/// Stand-ins where smol finishes at once and tokio never ends, writing its pid first.
fn one_finished_cell_then_one_that_hangs(name: &str) -> (PathBuf, PathBuf, PathBuf) {
    let out = temp_dir(name);
    let bins = temp_dir(&format!("{name}-bins"));
    let pid_file = bins.join("tokio.pid");
    stand_ins(
        &bins,
        &[(
            "tokio",
            &format!("echo $$ > {}; exec sleep 60", pid_file.display()),
        )],
    );
    std::os::unix::fs::symlink(bin_dir().join("bench-smol"), bins.join("bench-smol")).unwrap();
    (out, bins, pid_file)
}

fn start_driver(out: &Path, bins: &Path) -> std::process::Child {
    use std::os::unix::process::CommandExt;
    Command::new(DRIVER)
        .args(["--runtimes", "smol,tokio", "--tasks", "1", "--sleep", "0.1"])
        .arg("--out")
        .arg(out)
        .arg("--bin-dir")
        .arg(bins)
        .stderr(std::process::Stdio::piped())
        .process_group(0)
        .spawn()
        .unwrap()
}

/// The pid the hanging stand-in wrote, once it runs.
fn hanging_cell(pid_file: &Path) -> i32 {
    for _ in 0..1000 {
        if let Some(pid) = std::fs::read_to_string(pid_file)
            .ok()
            .and_then(|text| text.trim().parse().ok())
        {
            return pid;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("the second cell never started");
}

fn wait_until_ended(pid: i32) {
    for _ in 0..500 {
        if !running(pid) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("cell {pid} outlived the driver");
}

#[test]
fn a_cell_dies_with_a_killed_driver_and_finished_rows_stay() {
    let (out, bins, pid_file) = one_finished_cell_then_one_that_hangs("sigkill");
    let mut driver = start_driver(&out, &bins);
    let cell = hanging_cell(&pid_file);
    driver.kill().unwrap();
    driver.wait().unwrap();
    wait_until_ended(cell);
    let rows = rows(&out);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        (rows[0]["runtime"].as_str(), rows[0]["status"].as_str()),
        (Some("smol"), Some("ok"))
    );
}

/// Ctrl-C reaches the driver alone (`kill -INT`) or its whole process group (a terminal):
/// either way the cell running stops, finished rows stay, the report is rendered, exit 130.
#[test]
fn ctrl_c_stops_the_cell_keeps_finished_rows_and_exits_130() {
    for to_group in [false, true] {
        let name = if to_group { "sigint-group" } else { "sigint" };
        let (out, bins, pid_file) = one_finished_cell_then_one_that_hangs(name);
        let driver = start_driver(&out, &bins);
        let cell = hanging_cell(&pid_file);
        let target = if to_group {
            -(driver.id() as i32)
        } else {
            driver.id() as i32
        };
        // SAFETY: kill only sends a signal.
        assert_eq!(unsafe { libc::kill(target, libc::SIGINT) }, 0);
        let output = driver.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(130), "{name}: {stderr}");
        assert!(
            stderr.contains("interrupted: 1 of 2 cells ran"),
            "{name}: {stderr}"
        );
        wait_until_ended(cell);
        assert_eq!(rows(&out).len(), 1, "{name}: only the finished row");
        assert!(
            out.join("report.md").is_file(),
            "{name}: the report is rendered"
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
