//! `--raise-limits`: raises the kernel limits that stop large runs, for the run only, and
//! puts the old values back when the run ends, also after Ctrl-C or a failure.
//!
//! A driver killed outright (SIGKILL, a crash, a restart) cannot put them back itself, so
//! before it raises anything it writes the old values to a file that outlives it
//! ([`STATE_FILE`], in `sysctl.conf` form, so `sysctl -p` can read it too). Every later start
//! of the driver finds that file, once the driver that wrote it has ended, restores the
//! values, says so in one line and removes it; `scripts/bench.sh --restore-limits` does only
//! that.

use anyhow::{anyhow, bail, Context};
use harness::limits::{sysctl_path, threads_on_machine, MAPPINGS_PER_THREAD, PID_MAX_LIMIT};
use harness::proc::read_number;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where the old values of raised settings wait until they are restored: outside the
/// repository, since the kernel's settings belong to the machine and not to one checkout.
pub const STATE_FILE: &str = "/var/tmp/tasks-bench-raised-limits.conf";

/// The line of the state file that names the driver that wrote it.
const WRITER: &str = "# driver pid: ";

/// The kernel's settings (`/proc/sys` or, in tests, a folder standing in for it) and the file
/// that keeps their old values while they are raised.
#[derive(Debug, Clone)]
pub struct Sysctls {
    pub root: PathBuf,
    pub state: PathBuf,
}

/// Kernel settings changed for the run, with their old values; restored when dropped.
pub struct Raised {
    sysctls: Sysctls,
    old: Vec<(String, u64)>,
}

/// The limits that `tasks` OS threads or coroutines need on a machine already running
/// `threads_now` threads: a pid and 4 mappings each, with room for the rest of the machine.
fn wanted(tasks: u64, threads_now: u64) -> [(&'static str, u64); 3] {
    let threads = tasks + threads_now + 10_000;
    [
        ("kernel.pid_max", threads.min(PID_MAX_LIMIT)),
        ("kernel.threads-max", threads),
        ("vm.max_map_count", tasks * MAPPINGS_PER_THREAD + 100_000),
    ]
}

/// Whether process `pid` is a driver still running (a pid taken again by another program
/// does not count).
fn driver_running(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/comm")).is_ok_and(|comm| comm.trim() == "driver")
}

impl Sysctls {
    /// The machine's own settings.
    pub fn system() -> Sysctls {
        Sysctls {
            root: PathBuf::from(harness::limits::SYSCTL_ROOT),
            state: PathBuf::from(STATE_FILE),
        }
    }

    fn is_system(&self) -> bool {
        self.root == Path::new(harness::limits::SYSCTL_ROOT)
    }

    fn read(&self, name: &str) -> anyhow::Result<u64> {
        let path = sysctl_path(&self.root, name);
        path.to_str()
            .and_then(read_number)
            .with_context(|| format!("cannot read {name} ({})", path.display()))
    }

    fn write(&self, name: &str, value: u64) -> anyhow::Result<()> {
        std::fs::write(sysctl_path(&self.root, name), value.to_string())
            .with_context(|| format!("cannot set {name}={value}"))
    }

    /// Raises pid_max, threads-max and max_map_count far enough for `max_tasks` threads or
    /// coroutines, having first written their old values to the state file. Root only.
    pub fn raise(&self, max_tasks: usize) -> anyhow::Result<Raised> {
        // SAFETY: geteuid cannot fail.
        if self.is_system() && unsafe { libc::geteuid() } != 0 {
            bail!("--raise-limits needs root: run as root, or raise the limits the preflight names yourself");
        }
        if let Ok(text) = std::fs::read_to_string(&self.state) {
            let writer = parse_state(&text).and_then(|kept| kept.writer);
            bail!(
                "another driver (pid {}) has the limits raised: wait for it to end, or run \
                 scripts/bench.sh --restore-limits once it has",
                writer.map_or("unknown".into(), |pid| pid.to_string())
            );
        }
        let mut to_raise = Vec::new();
        for (name, value) in wanted(max_tasks as u64, threads_on_machine()) {
            let current = self.read(name)?;
            if current < value {
                to_raise.push((name, current, value));
            }
        }
        let old: Vec<(String, u64)> = to_raise
            .iter()
            .map(|&(name, current, _)| (name.to_string(), current))
            .collect();
        if !old.is_empty() {
            self.keep(&old)?;
        }
        let raised = Raised {
            sysctls: self.clone(),
            old,
        };
        for (name, current, value) in to_raise {
            // A failure here drops `raised`, which restores what was raised before it.
            self.write(name, value)?;
            eprintln!("raised {name} from {current} to {value} for this run");
        }
        Ok(raised)
    }

    /// Writes the old values to the state file, durably, before anything is raised.
    fn keep(&self, old: &[(String, u64)]) -> anyhow::Result<()> {
        let mut text = format!(
            "# Kernel settings raised by scripts/bench.sh --raise-limits, with their values before.\n\
             # The next start of the driver puts them back (or: scripts/bench.sh --restore-limits).\n\
             {WRITER}{}\n",
            std::process::id()
        );
        for (name, value) in old {
            text += &format!("{name} = {value}\n");
        }
        let written = std::fs::File::create(&self.state).and_then(|mut file| {
            file.write_all(text.as_bytes())
                .and_then(|()| file.sync_all())
        });
        written.with_context(|| {
            format!(
                "cannot keep the old limits in {} before raising them",
                self.state.display()
            )
        })
    }

    /// Restores what a driver that ended without restoring left raised, if anything: one line
    /// saying what it did, or why it left it. Nothing when there is no state file.
    pub fn restore_left_over(&self) -> anyhow::Result<Option<String>> {
        let text = match std::fs::read_to_string(&self.state) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).context(format!("cannot read {}", self.state.display())),
        };
        let Kept { writer, old } = parse_state(&text)
            .with_context(|| format!("{} is not a file of old limits", self.state.display()))?;
        if writer.is_some_and(|pid| pid != std::process::id() && driver_running(pid)) {
            return Ok(Some(format!(
                "limits left raised: the driver that raised them (pid {}) is still running",
                writer.unwrap_or_default()
            )));
        }
        let mut restored = Vec::new();
        for (name, value) in &old {
            self.write(name, *value).map_err(|why| {
                anyhow!(
                    "{why:#}: run as root, or: sysctl -p {}",
                    self.state.display()
                )
            })?;
            restored.push(format!("{name} to {value}"));
        }
        std::fs::remove_file(&self.state)
            .with_context(|| format!("cannot remove {}", self.state.display()))?;
        Ok(Some(format!(
            "restored {} (left raised by a driver that ended without restoring them)",
            restored.join(", ")
        )))
    }
}

/// What a state file holds.
struct Kept {
    /// The pid of the driver that wrote it.
    writer: Option<u32>,
    /// Each raised setting's value before.
    old: Vec<(String, u64)>,
}

/// A state file's text, read.
fn parse_state(text: &str) -> Option<Kept> {
    let mut writer = None;
    let mut old = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(pid) = line.strip_prefix(WRITER) {
            writer = Some(pid.trim().parse().ok()?);
        } else if !line.starts_with('#') {
            let (name, value) = line.split_once('=')?;
            let name = name.trim();
            let known = wanted(0, 0).iter().any(|(wanted, _)| *wanted == name);
            if !known {
                return None;
            }
            old.push((name.to_string(), value.trim().parse().ok()?));
        }
    }
    Some(Kept { writer, old })
}

impl Raised {
    pub fn restore(&mut self) {
        if self.old.is_empty() {
            return;
        }
        let mut all = true;
        for (name, value) in self.old.drain(..) {
            match self.sysctls.write(&name, value) {
                Ok(()) => eprintln!("restored {name} to {value}"),
                Err(why) => {
                    all = false;
                    eprintln!("error: {why}; run: sysctl -w {name}={value}")
                }
            }
        }
        // Kept when a value could not be put back, so that the next start tries again.
        if all {
            let _ = std::fs::remove_file(&self.sysctls.state);
        }
    }
}

impl Drop for Raised {
    fn drop(&mut self) {
        self.restore();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_million_tasks_get_a_pid_and_four_mappings_each_with_room_to_spare() {
        assert_eq!(
            wanted(1_000_000, 500),
            [
                ("kernel.pid_max", 1_010_500),
                ("kernel.threads-max", 1_010_500),
                ("vm.max_map_count", 4_100_000),
            ]
        );
    }

    #[test]
    fn pid_max_stops_at_the_kernel_ceiling() {
        let [(_, pid_max), (_, threads_max), _] = wanted(10_000_000, 0);
        assert_eq!(pid_max, PID_MAX_LIMIT);
        assert_eq!(threads_max, 10_010_000);
    }

    /// A folder standing in for /proc/sys, with low limits, and a state file beside it.
    fn stand_in() -> (tempfile::TempDir, Sysctls) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("sys");
        for (name, _) in wanted(0, 0) {
            let path = sysctl_path(&root, name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "1000\n").unwrap();
        }
        let state = dir.path().join("raised-limits.conf");
        (dir, Sysctls { root, state })
    }

    fn values(sysctls: &Sysctls) -> Vec<u64> {
        wanted(0, 0)
            .iter()
            .map(|(name, _)| sysctls.read(name).unwrap())
            .collect()
    }

    #[test]
    fn raised_limits_are_kept_in_a_file_first_and_restored_when_the_run_ends() {
        let (_dir, sysctls) = stand_in();
        let raised = sysctls.raise(50_000).unwrap();
        assert!(values(&sysctls).iter().all(|&v| v > 50_000));
        let kept = std::fs::read_to_string(&sysctls.state).unwrap();
        assert!(kept.contains("kernel.pid_max = 1000\n"), "{kept}");
        assert!(kept.contains(&format!("{WRITER}{}\n", std::process::id())));
        drop(raised);
        assert_eq!(values(&sysctls), [1000, 1000, 1000]);
        assert!(!sysctls.state.exists());
        assert_eq!(sysctls.restore_left_over().unwrap(), None);
    }

    /// A driver killed before it restored (here: its `Raised` never dropped) leaves the file;
    /// the next start restores from it and removes it.
    #[test]
    fn a_killed_drivers_limits_are_restored_at_the_next_start() {
        let (_dir, sysctls) = stand_in();
        std::mem::forget(sysctls.raise(50_000).unwrap());
        // The file names this process, which is no driver: as if the writer had ended.
        let said = sysctls.restore_left_over().unwrap().unwrap();
        assert_eq!(
            said,
            "restored kernel.pid_max to 1000, kernel.threads-max to 1000, vm.max_map_count to \
             1000 (left raised by a driver that ended without restoring them)"
        );
        assert_eq!(values(&sysctls), [1000, 1000, 1000]);
        assert!(!sysctls.state.exists());
    }

    #[test]
    fn nothing_is_kept_when_nothing_needs_raising() {
        let (_dir, sysctls) = stand_in();
        for (name, _) in wanted(0, 0) {
            std::fs::write(sysctl_path(&sysctls.root, name), "9999999\n").unwrap();
        }
        let raised = sysctls.raise(1000).unwrap();
        assert!(!sysctls.state.exists());
        drop(raised);
        assert_eq!(values(&sysctls), [9_999_999; 3]);
    }

    #[test]
    fn a_file_that_is_not_one_of_old_limits_is_refused_and_left() {
        let (_dir, sysctls) = stand_in();
        std::fs::write(&sysctls.state, "net.ipv4.ip_forward = 1\n").unwrap();
        let error = format!("{:#}", sysctls.restore_left_over().unwrap_err());
        assert!(error.ends_with("is not a file of old limits"), "{error}");
        assert!(sysctls.state.exists());
        assert_eq!(values(&sysctls), [1000, 1000, 1000]);
    }
}
