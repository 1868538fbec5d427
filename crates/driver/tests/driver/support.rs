//! What every test of the driver uses: the driver binary, temporary folders, rows, and
//! stand-in implementations.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub(crate) const DRIVER: &str = env!("CARGO_BIN_EXE_driver");

pub(crate) fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("driver-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The driver, with its record of raised limits in a folder of the test's own: a driver
/// that is really running on this machine with raised limits is none of a test's business.
pub(crate) fn driver_command() -> Command {
    let state = std::env::temp_dir().join(format!("driver-test-{}-limits", std::process::id()));
    let mut command = Command::new(DRIVER);
    command
        .arg("--sysctl-root")
        .arg(state.join("sys"))
        .arg("--limits-state")
        .arg(state.join("raised-limits.conf"));
    command
}

pub(crate) fn driver(args: &[&str]) -> Output {
    driver_command().args(args).output().unwrap()
}

/// Held shared by every test that starts a driver, and alone by the one that looks for the
/// cgroup a killed driver left: any driver's start removes such cgroups.
pub(crate) static DRIVERS: std::sync::RwLock<()> = std::sync::RwLock::new(());

pub(crate) fn drivers_may_start() -> std::sync::RwLockReadGuard<'static, ()> {
    DRIVERS
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

pub(crate) fn rows(out: &Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(out.join("results.jsonl")).unwrap();
    text.lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// This repository's built bench binary for `implementation`, built now so that a test stands alone.
pub(crate) fn built(implementation: &str) -> PathBuf {
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
pub(crate) struct Stand {
    pub(crate) root: PathBuf,
}

impl Stand {
    pub(crate) fn new(name: &str) -> Stand {
        Stand {
            root: temp_dir(&format!("{name}-root")),
        }
    }

    /// A peer running `command` (TASKS --sleep SECONDS appended), found by `toolchain`.
    pub(crate) fn add(&self, name: &str, order: u32, command: &[&str], toolchain: &str) -> &Stand {
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
    pub(crate) fn script(&self, name: &str, order: u32, body: &str) -> &Stand {
        let dir = self.root.join("peers").join(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("run.sh"), format!("#!/bin/sh\n{body}\n")).unwrap();
        let script = dir.join("run.sh");
        self.add(name, order, &["sh", script.to_str().unwrap()], "true")
    }

    pub(crate) fn root(&self) -> &str {
        self.root.to_str().unwrap()
    }
}
