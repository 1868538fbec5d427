//! The driver end to end: real implementations with tiny counts and a short sleep, and
//! stand-in implementations (folders with a manifest, in a repository of their own) that
//! hang, crash, or lack a toolchain.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const DRIVER: &str = env!("CARGO_BIN_EXE_driver");

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("driver-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The driver, with its record of raised limits in a folder of the test's own: a driver
/// that is really running on this machine with raised limits is none of a test's business.
fn driver_command() -> Command {
    let state = std::env::temp_dir().join(format!("driver-test-{}-limits", std::process::id()));
    let mut command = Command::new(DRIVER);
    command
        .arg("--sysctl-root")
        .arg(state.join("sys"))
        .arg("--limits-state")
        .arg(state.join("raised-limits.conf"));
    command
}

fn driver(args: &[&str]) -> Output {
    driver_command().args(args).output().unwrap()
}

/// Held shared by every test that starts a driver, and alone by the one that looks for the
/// cgroup a killed driver left: any driver's start removes such cgroups.
static DRIVERS: std::sync::RwLock<()> = std::sync::RwLock::new(());

fn drivers_may_start() -> std::sync::RwLockReadGuard<'static, ()> {
    DRIVERS
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn rows(out: &Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(out.join("results.jsonl")).unwrap();
    text.lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// This repository's built bench binary for `implementation`, built now so that a test stands alone.
fn built(implementation: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let package = format!("bench-{implementation}");
    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "--quiet", "--locked", "-p", &package])
        .current_dir(&root)
        .status()
        .expect("cargo runs");
    assert!(status.success());
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or(root.join("target"), PathBuf::from);
    target.join("release").join(package)
}

/// A repository of stand-ins: each a peer folder with a manifest whose program is a script.
struct Stand {
    root: PathBuf,
}

impl Stand {
    fn new(name: &str) -> Stand {
        Stand {
            root: temp_dir(&format!("{name}-root")),
        }
    }

    /// A peer running `command` (TASKS --sleep SECONDS appended), found by `toolchain`.
    fn add(&self, name: &str, order: u32, command: &[&str], toolchain: &str) -> &Stand {
        let dir = self.root.join("peers").join(name);
        std::fs::create_dir_all(&dir).unwrap();
        let quoted = |words: &[&str]| {
            let words: Vec<String> = words.iter().map(|w| format!("{w:?}")).collect();
            format!("[{}]", words.join(", "))
        };
        let manifest = format!(
            "name = {name:?}\nlanguage = \"Shell\"\nmodel = \"event-loop\"\norder = {order}\n\
             source = \"run.sh\"\nrun = {}\nversion = [\"sh\", \"-c\", \"echo {name} 1.0\"]\n\
             toolchain = [\"sh\", \"-c\", {toolchain:?}]\ninstall = \"apt-get install {name}\"\n\
             bytes_per_task_bound = 1000\n",
            quoted(command)
        );
        std::fs::write(dir.join("bench.toml"), manifest).unwrap();
        self
    }

    /// A peer whose program is the shell script `body`.
    fn script(&self, name: &str, order: u32, body: &str) -> &Stand {
        let dir = self.root.join("peers").join(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("run.sh"), format!("#!/bin/sh\n{body}\n")).unwrap();
        let script = dir.join("run.sh");
        self.add(name, order, &["sh", script.to_str().unwrap()], "true")
    }

    fn root(&self) -> &str {
        self.root.to_str().unwrap()
    }
}

/// The run's `env.json` says where it ran, with what, and how it was measured.
fn assert_env_says_where_it_ran(out: &Path) {
    let env: results::Env =
        serde_json::from_str(&std::fs::read_to_string(out.join("env.json")).unwrap()).unwrap();
    assert!(env.cpu_model.is_some() && env.cores.is_some() && env.memory_total_bytes.is_some());
    assert!(env.kernel.is_some() && env.rustc.is_some() && env.git_commit.is_some());
    let tokio = &env.implementations["tokio"];
    assert_eq!(
        tokio.version.as_deref(),
        Some(format!("tokio {}", harness::runtime_version("tokio")).as_str())
    );
    assert_eq!(
        (tokio.language.as_str(), tokio.model.as_str()),
        ("Rust", "stackless")
    );
    assert!(
        tokio.command.last().unwrap() == "<SECONDS>",
        "{:?}",
        tokio.command
    );
    let took = env.took.expect("the run's time is recorded");
    assert!(took.preparing_s > 0.0 && took.cells_s > 0.0, "{took:?}");
    assert_eq!(took.building_s, Some(12.0));
    assert!(env.limits.contains_key("vm.max_map_count"));
    assert_eq!(env.meter.sample_interval_ms, 10);
    assert!(env.meter.cgroup.is_some() != env.meter.cgroup_unavailable.is_some());
}

/// The run's report has a table of both implementations, and each chart names both.
fn assert_report_and_charts_name_both(out: &Path) {
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        report.contains("| implementation | version | 1 | 100 | bytes/task |"),
        "{report}"
    );
    assert!(report.contains("| Rust tokio | ") && report.contains("| Rust smol | "));
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
            text.contains("Rust tokio") && text.contains("Rust smol"),
            "{chart} names every implementation"
        );
    }
}

#[test]
fn runs_two_implementations_into_results_env_and_report() {
    let _drivers = drivers_may_start();
    let out = temp_dir("e2e");
    // As scripts/bench.sh says how long its build took.
    let output = driver_command()
        .env("BENCH_BUILD_S", "12")
        .args([
            "--implementations",
            "tokio,smol",
            "--tasks",
            "1,100",
            "--sleep",
            "0.2",
            "--repeat",
            "2",
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
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
        assert_eq!(row["completed"], row["cell_tasks"]);
        assert!(row["peak_rss_bytes"].as_u64().unwrap() > 0);
        assert!(row["self_peak_rss_bytes"].as_u64().unwrap() > 0, "{row}");
        assert_eq!(
            row["runtime_version"],
            format!(
                "{} {}",
                row["implementation"].as_str().unwrap(),
                harness::runtime_version(row["implementation"].as_str().unwrap())
            )
        );
    }
    let order: Vec<(&str, u64)> = rows
        .iter()
        .map(|r| {
            (
                r["implementation"].as_str().unwrap(),
                r["cell_tasks"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        order[..4],
        [("tokio", 1), ("tokio", 1), ("smol", 1), ("smol", 1)]
    );

    assert_env_says_where_it_ran(&out);
    assert_report_and_charts_name_both(&out);
}

/// `--workers`: tokio runs at its own worker count and at each asked, through its manifest's
/// setting (the meter sees its threads: main and the workers); the floor, which has no such
/// setting, runs once and the driver says so; the report has a table of them.
#[test]
fn workers_run_at_each_count_through_the_runtimes_setting() {
    let _drivers = drivers_may_start();
    let out = temp_dir("workers");
    let output = driver(&[
        "--implementations",
        "floor,tokio",
        "--tasks",
        "100",
        "--sleep",
        "0.2",
        "--workers",
        "1,3",
        "--out",
        out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("no worker-thread setting, so each runs once at its own: floor"),
        "{stderr}"
    );
    assert!(stderr.contains("[3/4] tokio 100 (1 worker): "), "{stderr}");
    let rows = rows(&out);
    let seen: Vec<(&str, Option<u64>, u64)> = rows
        .iter()
        .map(|row| {
            assert_eq!(row["status"], "ok", "{row}");
            let name = row["implementation"].as_str().unwrap();
            (
                name,
                row["workers"].as_u64(),
                row["threads"].as_u64().unwrap(),
            )
        })
        .filter(|(name, ..)| *name == "tokio")
        .collect();
    assert_eq!(seen[1..], [("tokio", Some(1), 2), ("tokio", Some(3), 4)]);
    assert_eq!(seen[0].1, None, "its own default first");
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        report.contains("| implementation | tasks | its own | 1 worker | 3 workers |"),
        "{report}"
    );
}

/// `--allocations`: the build that counts runs after the matrix, its rows say which build they
/// are and carry the heap, and the report has where the memory goes; the default rows do not.
#[test]
fn the_counting_build_runs_after_the_matrix_and_says_so() {
    let _drivers = drivers_may_start();
    let out = temp_dir("allocations");
    let output = driver(&[
        "--implementations",
        "floor",
        "--tasks",
        "1k",
        "--sleep",
        "0.1",
        "--allocations",
        "--out",
        out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("[2/2] floor 1,000 (counting allocator): "),
        "{stderr}"
    );
    let rows = rows(&out);
    assert_eq!(rows.len(), 2);
    assert!(
        rows[0].get("build").is_none() && rows[0].get("heap").is_none(),
        "{}",
        rows[0]
    );
    assert_eq!(rows[1]["build"], "counting allocator");
    // The floor's futures and timer entries live in its own arrays: tens of bytes a task.
    let live = rows[1]["heap"]["live_bytes"].as_u64().unwrap();
    assert!((40_000..200_000).contains(&live), "{}", rows[1]);
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        report.contains("| Rust floor (reference) | 1,000 | "),
        "{report}"
    );
}

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

/// Whether process `pid` is running (a zombie has ended).
fn running(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|stat| {
            let state = stat.rsplit_once(") ").map_or("", |(_, rest)| rest);
            !state.starts_with('Z') && !state.starts_with('X')
        })
        .unwrap_or(false)
}

/// Stand-ins where smol finishes at once and `hang` never ends, writing its pid first.
fn one_finished_cell_then_one_that_hangs(name: &str) -> (PathBuf, Stand, PathBuf) {
    let out = temp_dir(name);
    let stand = Stand::new(name);
    let pid_file = stand.root.join("hang.pid");
    stand
        .add("smol", 1, &[built("smol").to_str().unwrap()], "true")
        .script(
            "hang",
            2,
            &format!("echo $$ > {}; exec sleep 60", pid_file.display()),
        );
    (out, stand, pid_file)
}

fn start_driver(out: &Path, stand: &Stand) -> std::process::Child {
    use std::os::unix::process::CommandExt;
    driver_command()
        .args(["--tasks", "1", "--sleep", "0.1", "--root", stand.root()])
        .arg("--out")
        .arg(out)
        .stderr(std::process::Stdio::piped())
        .process_group(0)
        .spawn()
        .unwrap()
}

/// The pid the hanging stand-in wrote, once it runs.
fn hanging_cell(pid_file: &Path) -> i32 {
    for _ in 0..3000 {
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

/// Waits until the rows file holds `count` rows: the cells before the hanging one, which may
/// run beside it, have ended.
fn wait_for_rows(out: &Path, count: usize) {
    for _ in 0..3000 {
        let written = std::fs::read_to_string(out.join("results.jsonl")).unwrap_or_default();
        if written.lines().count() >= count {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("{count} rows were never written");
}

/// Waits for the cell `pid`, a `sleep 60`, to end: ended well before its 60 s, it was killed.
fn wait_until_ended(pid: i32) {
    for _ in 0..3000 {
        if !running(pid) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("cell {pid} outlived the driver");
}

/// The memory cgroups the meter made in process `pid` that are still there.
fn cgroups_of(pid: u32) -> Vec<PathBuf> {
    let prefix = format!("tasks-bench-{pid}-");
    ["/sys/fs/cgroup/memory", "/sys/fs/cgroup"]
        .iter()
        .filter_map(|parent| std::fs::read_dir(parent).ok())
        .flat_map(|entries| entries.flatten())
        .filter(|entry| entry.file_name().to_string_lossy().starts_with(&prefix))
        .map(|entry| entry.path())
        .collect()
}

/// A driver killed outright (SIGKILL) takes its cell with it and keeps the rows finished. The
/// memory cgroup of that cell, which it had no chance to remove, is removed by the next
/// driver to start.
#[test]
fn a_cell_dies_with_a_killed_driver_and_its_cgroup_with_the_next_start() {
    // Alone: any other driver starting now would remove the cgroup looked for here.
    let _alone = DRIVERS
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let (out, stand, pid_file) = one_finished_cell_then_one_that_hangs("sigkill");
    let mut killed = start_driver(&out, &stand);
    let cell = hanging_cell(&pid_file);
    wait_for_rows(&out, 1);
    killed.kill().unwrap();
    killed.wait().unwrap();
    wait_until_ended(cell);
    let rows = rows(&out);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        (
            rows[0]["implementation"].as_str(),
            rows[0]["status"].as_str()
        ),
        (Some("smol"), Some("ok"))
    );

    let left = cgroups_of(killed.id());
    match meter::cgroup_version() {
        Ok(_) => assert_eq!(left.len(), 1, "the killed cell's cgroup: {left:?}"),
        Err(why) => eprintln!("no cgroup to leave behind: {why}"),
    }
    let next = temp_dir("sigkill-next");
    let output = driver(&[
        "--implementations",
        "smol",
        "--tasks",
        "1",
        "--sleep",
        "0.1",
        "--root",
        stand.root(),
        "--out",
        next.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    for cgroup in &left {
        assert!(
            !cgroup.exists(),
            "{} outlived the next start",
            cgroup.display()
        );
        let said = format!("removed the cgroup {} left by a meter", cgroup.display());
        assert!(stderr.contains(&said), "{stderr}");
    }
}

/// A folder standing in for /proc/sys, with every limit `--raise-limits` raises at 1000.
fn sysctl_stand_in(stand: &Stand) -> (PathBuf, PathBuf) {
    let root = stand.root.join("sys");
    for file in ["kernel/pid_max", "kernel/threads-max", "vm/max_map_count"] {
        let path = root.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "1000\n").unwrap();
    }
    (root, stand.root.join("raised-limits.conf"))
}

fn limits_in(root: &Path) -> Vec<u64> {
    ["kernel/pid_max", "kernel/threads-max", "vm/max_map_count"]
        .iter()
        .map(|file| {
            let text = std::fs::read_to_string(root.join(file)).unwrap();
            text.trim().parse().unwrap()
        })
        .collect()
}

/// `--raise-limits` keeps the old values in a file before it raises them; a driver killed
/// mid-run leaves both, and the next start (here `--restore-limits`, which does only that)
/// puts the values back and removes the file. A folder stands in for /proc/sys.
#[test]
fn limits_a_killed_driver_left_raised_are_restored_at_the_next_start() {
    let _drivers = drivers_may_start();
    let (out, stand, pid_file) = one_finished_cell_then_one_that_hangs("raised");
    let (sysctls, state) = sysctl_stand_in(&stand);
    let stand_in = [
        "--sysctl-root",
        sysctls.to_str().unwrap(),
        "--limits-state",
        state.to_str().unwrap(),
    ];
    let mut raising = Command::new(DRIVER)
        .args(["--tasks", "1", "--sleep", "0.1", "--raise-limits", "--root"])
        .arg(stand.root())
        .arg("--out")
        .arg(&out)
        .args(stand_in)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let cell = hanging_cell(&pid_file);
    assert!(limits_in(&sysctls).iter().all(|&v| v > 1000));
    let kept = std::fs::read_to_string(&state).unwrap();
    assert!(kept.contains("kernel.pid_max = 1000"), "{kept}");
    raising.kill().unwrap();
    raising.wait().unwrap();
    wait_until_ended(cell);
    assert!(
        limits_in(&sysctls).iter().all(|&v| v > 1000),
        "still raised"
    );

    let restore = |args: &[&str]| {
        let output = Command::new(DRIVER)
            .arg("--restore-limits")
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    // The line about the limits comes first; the killed cell's cgroup may follow.
    let said = restore(&stand_in);
    assert!(
        said.starts_with("restored kernel.pid_max to 1000, kernel.threads-max to 1000, vm.max_map_count to 1000 "),
        "{said}"
    );
    assert_eq!(limits_in(&sysctls), [1000, 1000, 1000]);
    assert!(!state.exists());
    let said = restore(&stand_in);
    assert!(said.starts_with("no limits were left raised"), "{said}");
}

/// A second run into a results folder adds its rows and joins the record of its environment;
/// a run in another environment (here: another commit) is refused in one line, exit 2.
#[test]
fn a_later_run_into_the_same_folder_keeps_every_runs_environment() {
    let _drivers = drivers_may_start();
    let out = temp_dir("twice");
    let stand = Stand::new("twice");
    stand.add("smol", 1, &[built("smol").to_str().unwrap()], "true");
    let run = |command: &str| {
        driver(&[
            "--tasks",
            "1",
            "--sleep",
            command,
            "--root",
            stand.root(),
            "--out",
            out.to_str().unwrap(),
        ])
    };
    assert!(run("0.1").status.success());
    assert!(run("0.2").status.success());
    assert_eq!(rows(&out).len(), 2);
    let env_path = out.join("env.json");
    let env: results::Env =
        serde_json::from_str(&std::fs::read_to_string(&env_path).unwrap()).unwrap();
    assert!(env.command.ends_with(&format!(
        "--sleep 0.1 --root {} --out {}",
        stand.root(),
        out.display()
    )));
    assert_eq!(env.later_runs.len(), 1);
    assert!(env.later_runs[0].command.contains("--sleep 0.2"));

    let mut other = env.clone();
    other.git_commit = Some("0000000".into());
    std::fs::write(&env_path, serde_json::to_string(&other).unwrap()).unwrap();
    let output = run("0.3");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    let refusal = stderr
        .lines()
        .find(|l| l.starts_with("error: "))
        .unwrap_or_default();
    assert!(
        refusal.contains(
            "holds rows made in another environment (git commit: Some(\"0000000\") then "
        ) && refusal.ends_with("give a new --out"),
        "{stderr}"
    );
    assert_eq!(rows(&out).len(), 2, "nothing is added to a refused folder");
}

/// Ctrl-C reaches the driver alone (`kill -INT`) or its whole process group (a terminal):
/// either way the cell running stops, finished rows stay, the report is rendered, exit 130.
#[test]
fn ctrl_c_stops_the_cell_keeps_finished_rows_and_exits_130() {
    let _drivers = drivers_may_start();
    for to_group in [false, true] {
        let name = if to_group { "sigint-group" } else { "sigint" };
        let (out, stand, pid_file) = one_finished_cell_then_one_that_hangs(name);
        let driver = start_driver(&out, &stand);
        let cell = hanging_cell(&pid_file);
        wait_for_rows(&out, 1);
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

/// `scripts/diff.sh A B`: what it printed on stdout, on stderr, and its exit code.
fn diff_script(a: &str, b: &str) -> (String, String, Option<i32>) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/diff.sh");
    let output = Command::new(&script).args([a, b]).output().unwrap();
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        output.status.code(),
    )
}

#[test]
fn diff_script_shows_what_two_implementations_do_differently() {
    let (diff, stderr, code) = diff_script("tokio", "smol");
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        diff.contains("-use tokio::{task, time};") && diff.contains("+use smol::Timer;"),
        "{diff}"
    );
    assert!(
        !diff.contains("-    let mut tasks = Vec::new();"),
        "the shared lines are not in the diff"
    );
    let (diff, stderr, code) = diff_script("go", "java-virtual");
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        diff.contains("-package main") && diff.contains("+public class VirtualThreads {"),
        "across languages too: {diff}"
    );
}

/// Two versions of one runtime run one program: what differs is what builds it.
#[test]
fn diff_script_shows_two_versions_by_what_builds_them() {
    let (diff, stderr, code) = diff_script("tokio-1-28", "tokio-1-29");
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        diff.starts_with(
            "tokio-1-28 and tokio-1-29 run the same program, crates/bench-tokio/src/main.rs"
        ) && diff.contains(r#"-tokio = { version = "=1.28.1""#)
            && diff.contains(r#"+tokio = { version = "=1.29.0""#),
        "{diff}"
    );
}

#[test]
fn diff_script_lists_the_valid_names_for_an_unknown_one() {
    let (_, stderr, code) = diff_script("tokio", "nope");
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("unknown implementation 'nope': expected one of: "),
        "{stderr}"
    );
    let names = [
        "async-std",
        "glommio",
        "may",
        "smol",
        "threads",
        "tokio",
        "go",
        "java-virtual",
        "elixir",
    ];
    for name in names {
        assert!(stderr.contains(name), "{stderr}");
    }
}

/// A stand-in that speaks the launch protocol, holds `hold` (a shell command whose output it
/// keeps in memory) through its sleep, and logs when it slept.
fn protocol_script(name: &str, hold: &str, log: &Path) -> String {
    format!(
        "tasks=$1 sleep_s=$3\n\
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

/// Whether stand-ins `a` and `b` slept at once, by the times `log` has of their sleeps.
fn assert_slept_at_once(log: &Path, a: &str, b: &str) {
    let slept = std::fs::read_to_string(log).unwrap();
    let at = |line: String| -> f64 {
        let found = slept.lines().find(|l| l.starts_with(&line)).unwrap();
        found.rsplit(' ').next().unwrap().parse().unwrap()
    };
    assert!(
        at(format!("{a} from")) < at(format!("{b} to"))
            && at(format!("{b} from")) < at(format!("{a} to")),
        "the two slept at once: {slept}"
    );
}

/// Two light cells side by side are measured apart: a program holding 150 MB and a small one
/// run at once, each with its own row, peak and cgroup; the small one reads what it reads
/// alone, and its cgroup counts nothing of the large one.
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
        let mut args = vec!["--tasks", "1", "--sleep", "2", "--root", stand.root()];
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
    assert_slept_at_once(&log, "small", "large");
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
