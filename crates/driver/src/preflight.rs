//! What the machine allows: the limits that matter, and whether a cell fits them and the
//! memory available. The checks are the bench binaries' own (harness::limits).

use harness::limits::{self, Shortfall};
use harness::proc::read_number;
use report::results::Row;

/// The limits that bound the runs, by name, with their current values.
pub fn limits_now() -> Vec<(&'static str, String)> {
    let sysctl = |path: &str| read_number(path).map_or("unreadable".into(), |v| v.to_string());
    vec![
        ("kernel.pid_max", sysctl("/proc/sys/kernel/pid_max")),
        ("kernel.threads-max", sysctl("/proc/sys/kernel/threads-max")),
        ("vm.max_map_count", sysctl("/proc/sys/vm/max_map_count")),
        ("ulimit -u", rlimit(libc::RLIMIT_NPROC, 1)),
        ("ulimit -l (KiB)", rlimit(libc::RLIMIT_MEMLOCK, 1024)),
        (
            "kernel.io_uring_disabled",
            sysctl("/proc/sys/kernel/io_uring_disabled"),
        ),
        (
            "threads running on the machine",
            limits::threads_on_machine().to_string(),
        ),
        (
            "memory available (MiB)",
            (available_memory() >> 20).to_string(),
        ),
    ]
}

fn rlimit(resource: libc::__rlimit_resource_t, unit: u64) -> String {
    // SAFETY: getrlimit only writes into the struct it is given.
    let limit = unsafe {
        let mut limit: libc::rlimit = std::mem::zeroed();
        libc::getrlimit(resource, &mut limit);
        limit
    };
    if limit.rlim_cur == libc::RLIM_INFINITY {
        "unlimited".into()
    } else {
        (limit.rlim_cur / unit).to_string()
    }
}

/// MemAvailable from /proc/meminfo, in bytes.
pub fn available_memory() -> u64 {
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    meminfo
        .lines()
        .find_map(|line| line.strip_prefix("MemAvailable:"))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        })
        .map_or(0, |kib| kib * 1024)
}

/// The OS limits that `tasks` tasks of `runtime` would break: the same checks its binary makes.
pub fn shortfalls(runtime: &str, tasks: usize) -> Vec<Shortfall> {
    match runtime {
        "threads" => limits::threads(tasks as u64),
        "may" => limits::coroutine_stacks(tasks),
        "glommio" => limits::io_uring(limits::GLOMMIO_MIN_LOCKED_MEMORY),
        _ => Vec::new(),
    }
}

/// Bytes a task may cost when no smaller cell of the runtime has been measured: stated,
/// generous bounds (threads and may: a touched stack, its page tables and, for threads, the
/// kernel's own stack; the async runtimes: a task of a few hundred bytes, with margin).
pub fn stated_bytes_per_task(runtime: &str) -> u64 {
    match runtime {
        "threads" => 64 << 10,
        "may" => 48 << 10,
        _ => 4 << 10,
    }
}

/// Kernel memory per OS thread that VmHWM does not show: its 16 KiB kernel stack and task
/// structures, rounded up.
const KERNEL_BYTES_PER_THREAD: u64 = 32 << 10;

/// A conservative estimate of the memory `tasks` tasks of `runtime` need: from the largest
/// smaller cell of the same runtime that succeeded in this run (its resident memory and page
/// tables per task, plus the kernel's share for threads, with half again as margin), or from
/// the stated bound.
pub fn estimated_bytes(runtime: &str, tasks: usize, done: &[Row]) -> u64 {
    let measured = done
        .iter()
        .filter(|row| row.is_ok() && row.report.runtime == runtime)
        .filter(|row| row.report.tasks >= 1000 && row.report.tasks < tasks)
        .max_by_key(|row| row.report.tasks);
    let per_task = match measured {
        Some(row) => {
            let r = &row.report;
            let kernel = if runtime == "threads" {
                KERNEL_BYTES_PER_THREAD
            } else {
                0
            };
            (r.peak_rss_bytes + r.page_tables_bytes) / r.tasks as u64 + kernel
        }
        None => stated_bytes_per_task(runtime),
    };
    tasks as u64 * per_task * 3 / 2
}

/// Why a cell must not run on this machine now, if it must not.
pub fn reason_to_skip(runtime: &str, tasks: usize, done: &[Row]) -> Option<String> {
    let shortfalls = shortfalls(runtime, tasks);
    if !shortfalls.is_empty() {
        return Some(limits::message(tasks, "tasks", &shortfalls));
    }
    let needed = estimated_bytes(runtime, tasks, done);
    let available = available_memory();
    (needed > available * 9 / 10).then(|| {
        format!(
            "memory: {runtime} at {tasks} tasks needs about {:.1} GiB, {:.1} GiB is available \
             (run it on a machine with more memory)",
            needed as f64 / (1u64 << 30) as f64,
            available as f64 / (1u64 << 30) as f64
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use harness::report::Status;
    use harness::Report;

    fn ok_row(runtime: &str, tasks: usize, peak: u64) -> Row {
        let mut report = Report::unmeasured(runtime, tasks, 1.0, Status::Ok, String::new());
        report.peak_rss_bytes = peak;
        Row {
            index: 1,
            repeat: 1,
            exit_code: Some(0),
            report,
        }
    }

    #[test]
    fn estimates_come_from_the_largest_smaller_cell_with_margin() {
        let done = [
            ok_row("tokio", 10_000, 10_000 * 500),
            ok_row("tokio", 1_000, 1_000 * 900),
        ];
        assert_eq!(
            estimated_bytes("tokio", 1_000_000, &done),
            1_000_000 * 500 * 3 / 2
        );
        assert_eq!(
            estimated_bytes("smol", 1_000_000, &done),
            1_000_000 * 4096 * 3 / 2
        );
    }

    #[test]
    fn threads_add_the_kernel_memory_the_peak_does_not_show() {
        let done = [ok_row("threads", 10_000, 10_000 * 10_000)];
        let expected = 1_000_000 * (10_000 + KERNEL_BYTES_PER_THREAD) * 3 / 2;
        assert_eq!(estimated_bytes("threads", 1_000_000, &done), expected);
    }

    /// A cell larger than the memory available is skipped, whatever the limits say.
    #[test]
    fn a_cell_larger_than_memory_is_skipped_with_the_reason() {
        let tasks = (available_memory() / (4 << 10)) as usize + 1;
        let why = reason_to_skip("smol", tasks, &[]).expect("too large to fit");
        assert!(
            why.starts_with(&format!("memory: smol at {tasks} tasks needs about ")),
            "{why}"
        );
        assert_eq!(reason_to_skip("smol", 1000, &[]), None);
    }

    #[test]
    fn limit_shortfalls_are_the_binaries_own() {
        let pid_max = read_number("/proc/sys/kernel/pid_max").unwrap() as usize;
        let why = reason_to_skip("threads", pid_max + 1, &[]).unwrap();
        assert!(why.contains("kernel.pid_max is"), "{why}");
        assert!(shortfalls("tokio", pid_max + 1).is_empty());
    }
}
