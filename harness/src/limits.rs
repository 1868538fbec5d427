//! OS limits that stop a run, each named with its value, the value needed and the command that
//! raises it. Nothing here changes a limit.

use crate::proc::read_number;
use std::fmt;

/// Memory mappings of one coroutine stack: the stack and its guard page.
pub const MAPPINGS_PER_STACK: u64 = 2;

/// Memory mappings of one Rust OS thread: its stack and guard page, and the signal stack with
/// its own guard page that std sets up in every thread (4.0 per thread, measured here).
pub const MAPPINGS_PER_THREAD: u64 = 4;

/// What each task of a program takes of the OS limits. A Rust program declares it once, in
/// its `Run::require`, which checks it before any task starts and prints it for the driver
/// when asked `--needs`; a program in another language, in its manifest's `[limits]`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Needs {
    pub threads_per_task: u64,
    pub mappings_per_task: u64,
    /// io_uring enabled, and the locked memory glommio asks for.
    pub io_uring: bool,
}

/// A Rust OS thread: a pid, and its stack, guard page, signal stack and its guard.
pub const OS_THREAD: Needs = Needs {
    threads_per_task: 1,
    mappings_per_task: MAPPINGS_PER_THREAD,
    io_uring: false,
};

/// A coroutine with a stack of its own: the stack and its guard page.
pub const COROUTINE_STACK: Needs = Needs {
    threads_per_task: 0,
    mappings_per_task: MAPPINGS_PER_STACK,
    io_uring: false,
};

/// A task of an io_uring runtime (glommio): nothing per task, io_uring and locked memory once.
pub const IO_URING: Needs = Needs {
    threads_per_task: 0,
    mappings_per_task: 0,
    io_uring: true,
};

impl Needs {
    /// Whether each task has a stack of its own, an OS thread's or a coroutine's: what makes
    /// it take a share of the OS limits, and a launch far slower than a stackless task's.
    pub fn has_own_stack(&self) -> bool {
        self.threads_per_task > 0 || self.mappings_per_task > 0
    }

    /// The limits too low for `tasks` more tasks now.
    pub fn shortfalls(&self, tasks: u64) -> Vec<Shortfall> {
        let mut shortfalls = for_tasks(
            tasks * self.threads_per_task,
            tasks * self.mappings_per_task,
        );
        if self.io_uring {
            shortfalls.extend(io_uring(GLOMMIO_MIN_LOCKED_MEMORY));
        }
        shortfalls
    }
}

/// One limit that is too low for the run.
#[derive(Debug, Clone, PartialEq)]
pub struct Shortfall {
    pub limit: &'static str,
    pub current: u64,
    pub needed: u64,
    /// What to do: the command that raises it, or why it cannot be raised far enough.
    pub raise: String,
}

impl fmt::Display for Shortfall {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "{} is {}, {} needed ({})",
            self.limit, self.current, self.needed, self.raise
        )
    }
}

/// The one-line error for a run stopped by `shortfalls`.
pub fn message(tasks: usize, what: &str, shortfalls: &[Shortfall]) -> String {
    let list: Vec<String> = shortfalls.iter().map(Shortfall::to_string).collect();
    format!("OS limit: cannot run {tasks} {what}: {}", list.join("; "))
}

/// A little headroom over the bare need, so that the suggested value works as given.
fn with_headroom(needed: u64) -> u64 {
    (needed + needed / 50).div_ceil(1000) * 1000
}

/// The kernel's ceiling for `kernel.pid_max` on 64-bit machines (its `PID_MAX_LIMIT`).
pub const PID_MAX_LIMIT: u64 = 4_194_304;

fn sysctl(name: &'static str, current: u64, needed: u64) -> Option<Shortfall> {
    let suggested = with_headroom(needed);
    let raise = match name == "kernel.pid_max" && suggested > PID_MAX_LIMIT {
        true if needed <= PID_MAX_LIMIT => format!("raise it: sysctl -w {name}={PID_MAX_LIMIT}"),
        true => format!("the kernel allows at most {PID_MAX_LIMIT}: run fewer threads"),
        false => format!("raise it: sysctl -w {name}={suggested}"),
    };
    (current < needed).then_some(Shortfall {
        limit: name,
        current,
        needed,
        raise,
    })
}

/// Where the kernel's settings are read and written.
pub const SYSCTL_ROOT: &str = "/proc/sys";

/// The file of the kernel setting `name` (`kernel.pid_max`) under `root`.
pub fn sysctl_path(root: &std::path::Path, name: &str) -> std::path::PathBuf {
    root.join(name.replace('.', "/"))
}

/// The kernel setting `name` (`kernel.pid_max`) now.
pub fn read_sysctl(name: &str) -> Option<u64> {
    read_number(sysctl_path(SYSCTL_ROOT.as_ref(), name).to_str()?)
}

/// Threads (of every process) on the machine now, from `/proc/loadavg`.
pub fn threads_on_machine() -> u64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| {
            let field = text.split_whitespace().nth(3)?;
            field.split_once('/')?.1.parse().ok()
        })
        .unwrap_or(0)
}

/// Memory mappings of this process now.
pub fn mappings_of_this_process() -> u64 {
    std::fs::read_to_string("/proc/self/maps")
        .map(|maps| maps.lines().count() as u64)
        .unwrap_or(0)
}

/// The memory mappings that `new_mappings` more would need: `vm.max_map_count`.
pub fn mappings(new_mappings: u64) -> Vec<Shortfall> {
    let needed = mappings_of_this_process() + new_mappings;
    read_sysctl("vm.max_map_count")
        .and_then(|current| sysctl("vm.max_map_count", current, needed))
        .into_iter()
        .collect()
}

/// What `new_threads` more OS threads and `new_mappings` more memory mappings need, for a
/// program in any language: pids, the kernel's thread count, mappings and the user's
/// process limit.
pub fn for_tasks(new_threads: u64, new_mappings: u64) -> Vec<Shortfall> {
    let mut shortfalls = Vec::new();
    if new_threads > 0 {
        let needed = threads_on_machine() + new_threads;
        shortfalls.extend(
            [("kernel.pid_max", needed), ("kernel.threads-max", needed)]
                .into_iter()
                .filter_map(|(name, needed)| sysctl(name, read_sysctl(name)?, needed)),
        );
        shortfalls.extend(process_limit(needed));
    }
    shortfalls.extend(mappings(new_mappings));
    shortfalls
}

/// `ulimit -u`, which binds every user but root.
fn process_limit(needed: u64) -> Option<Shortfall> {
    // SAFETY: getuid cannot fail.
    if unsafe { libc::getuid() } == 0 {
        return None;
    }
    let current = soft_limit(libc::RLIMIT_NPROC)?;
    (current < needed).then(|| Shortfall {
        limit: "ulimit -u (max user processes)",
        current,
        needed,
        raise: format!("raise it: ulimit -u {}", with_headroom(needed)),
    })
}

/// glommio refuses to start below this much locked memory (its `MIN_MEMLOCK_LIMIT`).
pub const GLOMMIO_MIN_LOCKED_MEMORY: u64 = 512 * 1024;

/// What an io_uring runtime needs: io_uring not disabled by `kernel.io_uring_disabled`, and
/// `locked_bytes` of locked memory, which its buffers are charged to.
pub fn io_uring(locked_bytes: u64) -> Vec<Shortfall> {
    let disabled = read_sysctl("kernel.io_uring_disabled").filter(|&value| value != 0);
    let disabled = disabled.map(|value| Shortfall {
        limit: "kernel.io_uring_disabled",
        current: value,
        needed: 0,
        raise: "raise it: sysctl -w kernel.io_uring_disabled=0".into(),
    });
    disabled
        .into_iter()
        .chain(locked_memory(locked_bytes))
        .collect()
}

/// `ulimit -l`, in KiB as the shell gives it.
fn locked_memory(needed_bytes: u64) -> Option<Shortfall> {
    let current = soft_limit(libc::RLIMIT_MEMLOCK)?;
    (current < needed_bytes).then(|| Shortfall {
        limit: "ulimit -l (max locked memory, KiB)",
        current: current / 1024,
        needed: needed_bytes.div_ceil(1024),
        raise: format!("raise it: ulimit -l {}", needed_bytes.div_ceil(1024)),
    })
}

/// The soft limit, or None when it is unlimited (or, for a resource the kernel does not know,
/// unreadable).
pub fn soft_limit(resource: libc::__rlimit_resource_t) -> Option<u64> {
    // SAFETY: getrlimit only writes into the struct it is given.
    let limit = unsafe {
        let mut limit: libc::rlimit = std::mem::zeroed();
        (libc::getrlimit(resource, &mut limit) == 0).then_some(limit)?
    };
    (limit.rlim_cur != libc::RLIM_INFINITY).then_some(limit.rlim_cur)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_short_for_nothing_new() {
        assert_eq!(OS_THREAD.shortfalls(0), Vec::new());
        assert_eq!(mappings(0), Vec::new());
    }

    #[test]
    fn asking_for_more_mappings_than_allowed_names_the_limit_and_the_command() {
        let max = read_sysctl("vm.max_map_count").expect("vm.max_map_count is readable");
        let shortfalls = mappings(max);
        assert_eq!(shortfalls.len(), 1);
        let shortfall = &shortfalls[0];
        assert_eq!(shortfall.current, max);
        assert!(shortfall.needed > max);
        let line = message(7, "coroutines", &shortfalls);
        assert!(line.starts_with("OS limit: cannot run 7 coroutines: vm.max_map_count is "));
        assert!(line.contains(&format!(
            "sysctl -w vm.max_map_count={}",
            with_headroom(shortfall.needed)
        )));
    }

    #[test]
    fn more_threads_than_pids_names_pid_max() {
        let pid_max = read_sysctl("kernel.pid_max").expect("kernel.pid_max is readable");
        let shortfalls = OS_THREAD.shortfalls(pid_max);
        assert!(shortfalls
            .iter()
            .any(|s| s.limit == "kernel.pid_max" && s.current == pid_max));
    }

    #[test]
    fn pid_max_is_never_suggested_past_the_kernels_ceiling() {
        let near = sysctl("kernel.pid_max", 32_768, PID_MAX_LIMIT - 10).unwrap();
        assert_eq!(
            near.raise,
            format!("raise it: sysctl -w kernel.pid_max={PID_MAX_LIMIT}")
        );
        let past = sysctl("kernel.pid_max", PID_MAX_LIMIT, PID_MAX_LIMIT + 1).unwrap();
        assert_eq!(
            past.raise,
            format!("the kernel allows at most {PID_MAX_LIMIT}: run fewer threads")
        );
        let other = sysctl("kernel.threads-max", 1000, PID_MAX_LIMIT + 1).unwrap();
        assert!(other
            .raise
            .starts_with("raise it: sysctl -w kernel.threads-max="));
    }

    #[test]
    fn suggested_values_are_round_and_above_the_need() {
        assert_eq!(with_headroom(100_150), 103_000);
        assert!(with_headroom(1) >= 1000);
    }
}
