//! A driver stopped by Ctrl-C or killed: what it keeps, and what the next start cleans up.

use crate::support::*;
use std::path::{Path, PathBuf};
use std::process::Command;

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
