//! A memory cgroup of its own for each run, so that the kernel's memory for the program is
//! counted with it: cgroup v2 (`memory.peak`, `memory.stat`) or v1
//! (`memory.max_usage_in_bytes`, `memory.kmem.max_usage_in_bytes`). Made before the program
//! starts, joined by it before exec, removed after it ends.

use crate::Error;
use results::Kernel;
use std::fs::File;
use std::os::fd::{AsRawFd, RawFd};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

const ROOT: &str = "/sys/fs/cgroup";

/// Every cgroup the meter makes is named `tasks-bench-<meter's pid>-<n>`.
const PREFIX: &str = "tasks-bench-";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V1,
    V2,
}

impl Version {
    pub fn name(self) -> &'static str {
        match self {
            Version::V1 => "v1",
            Version::V2 => "v2",
        }
    }
}

/// The most of each kernel part seen in v2's `memory.stat`.
#[derive(Debug, Default, Clone, Copy)]
pub struct KernelParts {
    pub kernel: Option<u64>,
    pub kernel_stack: Option<u64>,
    pub pagetables: Option<u64>,
    pub slab: Option<u64>,
}

impl KernelParts {
    fn parse(stat: &str) -> KernelParts {
        let mut parts = KernelParts::default();
        for line in stat.lines() {
            let Some((key, value)) = line.split_once(' ') else {
                continue;
            };
            let Ok(value) = value.trim().parse::<u64>() else {
                continue;
            };
            match key {
                "kernel" => parts.kernel = Some(value),
                "kernel_stack" => parts.kernel_stack = Some(value),
                "pagetables" => parts.pagetables = Some(value),
                "slab" => parts.slab = Some(value),
                _ => {}
            }
        }
        parts
    }

    fn keep_most(&mut self, seen: KernelParts) {
        let most = |a: Option<u64>, b: Option<u64>| a.max(b);
        self.kernel = most(self.kernel, seen.kernel);
        self.kernel_stack = most(self.kernel_stack, seen.kernel_stack);
        self.pagetables = most(self.pagetables, seen.pagetables);
        self.slab = most(self.slab, seen.slab);
    }
}

/// A cgroup made for one run.
pub struct Cgroup {
    version: Version,
    dir: PathBuf,
    /// `cgroup.procs`, open for the child to write itself into before exec.
    procs: File,
    most: KernelParts,
}

/// Which memory cgroup hierarchy this machine has, or why none can be used.
pub fn detect() -> Result<Version, Error> {
    let root = Path::new(ROOT);
    if root.join("cgroup.controllers").is_file() {
        let enabled =
            std::fs::read_to_string(root.join("cgroup.subtree_control")).unwrap_or_default();
        return match enabled.split_whitespace().any(|c| c == "memory") {
            true => Ok(Version::V2),
            false => Err(Error::MemoryControllerOff { root: ROOT }),
        };
    }
    if root.join("memory/memory.max_usage_in_bytes").is_file() {
        return Ok(Version::V1);
    }
    Err(Error::NoMemoryController { root: ROOT })
}

fn read_u64(path: &Path) -> Option<u64> {
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}

impl Cgroup {
    /// Makes a new, empty memory cgroup, or says why it cannot (not root, no controller).
    pub fn create() -> Result<Cgroup, Error> {
        static MADE: AtomicUsize = AtomicUsize::new(0);
        let version = detect()?;
        let parent = parent_dir(version);
        let name = format!(
            "{PREFIX}{}-{}",
            std::process::id(),
            MADE.fetch_add(1, Ordering::Relaxed)
        );
        let dir = parent.join(name);
        std::fs::create_dir(&dir).map_err(|source| Error::CgroupNotMade {
            parent: parent.clone(),
            cause: source,
        })?;
        let procs = std::fs::OpenOptions::new()
            .write(true)
            .open(dir.join("cgroup.procs"));
        match procs {
            Ok(procs) => Ok(Cgroup {
                version,
                dir,
                procs,
                most: KernelParts::default(),
            }),
            Err(source) => {
                let _ = std::fs::remove_dir(&dir);
                Err(Error::CgroupNotJoinable { dir, cause: source })
            }
        }
    }

    /// The file a process writes `0` into to join.
    pub fn procs_fd(&self) -> RawFd {
        self.procs.as_raw_fd()
    }

    /// Everything the cgroup holds now: the program's memory and the kernel's for it.
    pub fn usage_bytes(&self) -> Option<u64> {
        let file = match self.version {
            Version::V1 => "memory.usage_in_bytes",
            Version::V2 => "memory.current",
        };
        read_u64(&self.dir.join(file))
    }

    /// Reads what only a current value tells (v2's kernel parts), keeping the most seen.
    pub fn sample(&mut self) {
        if self.version == Version::V2 {
            if let Ok(stat) = std::fs::read_to_string(self.dir.join("memory.stat")) {
                self.most.keep_most(KernelParts::parse(&stat));
            }
        }
    }

    /// What the run cost, once it has ended.
    pub fn kernel(&mut self) -> Option<Kernel> {
        self.sample();
        let file = |name: &str| read_u64(&self.dir.join(name));
        let (total, kernel) = match self.version {
            Version::V1 => (
                file("memory.max_usage_in_bytes")?,
                file("memory.kmem.max_usage_in_bytes"),
            ),
            Version::V2 => (file("memory.peak")?, self.most.kernel),
        };
        Some(Kernel {
            cgroup: self.version.name().into(),
            total_peak_bytes: total,
            kernel_peak_bytes: kernel,
            kernel_stack_bytes: self.most.kernel_stack,
            page_tables_bytes: self.most.pagetables,
            slab_bytes: self.most.slab,
        })
    }
}

/// Where the meter makes its cgroups.
fn parent_dir(version: Version) -> PathBuf {
    match version {
        Version::V1 => Path::new(ROOT).join("memory"),
        Version::V2 => PathBuf::from(ROOT),
    }
}

impl Drop for Cgroup {
    /// Kills whatever the program left behind in the cgroup, and removes it.
    fn drop(&mut self) {
        for _ in 0..2000 {
            let procs = std::fs::read_to_string(self.dir.join("cgroup.procs")).unwrap_or_default();
            let pids: Vec<i32> = procs
                .lines()
                .filter_map(|l| l.trim().parse().ok())
                .collect();
            for &pid in &pids {
                let pid = nix::unistd::Pid::from_raw(pid);
                let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGKILL);
            }
            if pids.is_empty() && std::fs::remove_dir(&self.dir).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        eprintln!(
            "warning: cannot remove the cgroup {}: remove it with rmdir",
            self.dir.display()
        );
    }
}

/// Removes the empty cgroups that meters killed before they could remove their own left
/// behind: those named by the meter's prefix whose meter process has ended. Nothing else is
/// touched: a name of another shape, a meter still running, a cgroup that still holds a
/// process (said, never killed). One line each for what it did or could not do.
pub fn remove_orphans() -> Vec<String> {
    match detect() {
        Ok(version) => remove_orphans_in(&parent_dir(version)),
        Err(_) => Vec::new(),
    }
}

/// [`remove_orphans`] under `parent`.
fn remove_orphans_in(parent: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut said = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(meter) = name.to_str().and_then(meter_of) else {
            continue;
        };
        if Path::new(&format!("/proc/{meter}")).exists() {
            continue;
        }
        let dir = entry.path();
        said.push(match std::fs::remove_dir(&dir) {
            Ok(()) => format!(
                "removed the cgroup {} left by a meter that ended without removing it (pid {meter})",
                dir.display()
            ),
            Err(e) => format!(
                "warning: cannot remove the cgroup {} left by an ended meter (pid {meter}): {e}; \
                 see its cgroup.procs, then rmdir it",
                dir.display()
            ),
        });
    }
    said
}

/// The pid of the meter that made the cgroup `name`, when the name is one the meter gives:
/// `tasks-bench-<pid>-<n>`, both numbers.
fn meter_of(name: &str) -> Option<u32> {
    let (pid, made) = name.strip_prefix(PREFIX)?.split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (digits(pid) && digits(made)).then(|| pid.parse().ok())?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v2_kernel_parts_keep_the_most_seen() {
        let mut most = KernelParts::default();
        most.keep_most(KernelParts::parse(
            "anon 100\nkernel 4096\nkernel_stack 16384\npagetables 8192\nslab 300\n",
        ));
        most.keep_most(KernelParts::parse("kernel 2048\nkernel_stack 32768\n"));
        assert_eq!(most.kernel, Some(4096));
        assert_eq!(most.kernel_stack, Some(32768));
        assert_eq!(most.pagetables, Some(8192));
        assert_eq!(most.slab, Some(300));
    }

    /// Made, entered by nobody, read and removed; or unavailable with a reason.
    #[test]
    fn a_cgroup_is_made_and_removed_or_says_why_not() {
        match Cgroup::create() {
            Ok(mut cgroup) => {
                let dir = cgroup.dir.clone();
                assert!(dir.is_dir());
                let kernel = cgroup.kernel().expect("a fresh cgroup has a peak");
                assert_eq!(kernel.cgroup, detect().unwrap().name());
                drop(cgroup);
                assert!(!dir.exists());
            }
            Err(why) => assert!(!why.to_string().is_empty()),
        }
    }

    /// A panic while the program runs still removes its cgroup, as it unwinds.
    #[test]
    fn a_panic_removes_the_cgroup() {
        let Ok(cgroup) = Cgroup::create() else {
            return eprintln!(
                "not checked: {}",
                detect().err().map(|e| e.to_string()).unwrap_or_default()
            );
        };
        let dir = cgroup.dir.clone();
        let panicked = std::panic::catch_unwind(move || {
            let _held = cgroup;
            panic!("the meter fails mid-run");
        });
        assert!(panicked.is_err());
        assert!(!dir.exists(), "{} outlived the panic", dir.display());
    }

    #[test]
    fn only_the_meters_own_names_are_read_as_its_cgroups() {
        assert_eq!(meter_of("tasks-bench-1234-0"), Some(1234));
        assert_eq!(meter_of("tasks-bench-77-12"), Some(77));
        for other in [
            "tasks-bench-",
            "tasks-bench-1234",
            "tasks-bench-1234-",
            "tasks-bench--0",
            "tasks-bench-12a-0",
            "tasks-bench-12-0-1",
            "tasks-bench-+12-0",
            "system.slice",
            "user-tasks-bench-12-0",
        ] {
            assert_eq!(meter_of(other), None, "{other}");
        }
    }

    /// Plain folders stand in for cgroups: the empty one of an ended meter goes; one of a
    /// running meter, one that is not empty and one of another name stay.
    #[test]
    fn orphans_of_ended_meters_are_removed_and_nothing_else() {
        let parent = tempfile::tempdir().unwrap();
        let ended = {
            let mut child = std::process::Command::new("true").spawn().unwrap();
            child.wait().unwrap();
            child.id()
        };
        let running = std::process::id();
        let make = |name: String| {
            let dir = parent.path().join(name);
            std::fs::create_dir(&dir).unwrap();
            dir
        };
        let orphan = make(format!("tasks-bench-{ended}-0"));
        let held = make(format!("tasks-bench-{ended}-1"));
        std::fs::write(held.join("cgroup.procs"), "4242\n").unwrap();
        let live = make(format!("tasks-bench-{running}-0"));
        let foreign = make(format!("other-{ended}-0"));
        let said = remove_orphans_in(parent.path());
        assert!(!orphan.exists());
        assert!(held.exists() && live.exists() && foreign.exists());
        assert_eq!(said.len(), 2, "{said:?}");
        assert!(said
            .iter()
            .any(|line| line.starts_with("removed the cgroup ")
                && line.contains(&format!("tasks-bench-{ended}-0"))));
        assert!(said.iter().any(
            |line| line.starts_with("warning: cannot remove the cgroup ")
                && line.contains(&format!("tasks-bench-{ended}-1"))
        ));
    }
}
