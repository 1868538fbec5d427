//! The host as the driver reads it: its memory (/proc/meminfo), its first lines of system
//! files and the OS limits that bound the runs, now. The limit checks themselves are the Rust
//! binaries' own (harness::limits).

use harness::limits;

/// The value of the first line of the file at `path` that starts with `key` (`key=value` or
/// `key: value`), unquoted.
pub fn first_line_with(path: &str, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let line = text.lines().find(|line| line.starts_with(key))?;
    let value = line.split_once(['=', ':'])?.1.trim().trim_matches('"');
    Some(value.to_string())
}

/// A figure of /proc/meminfo, in bytes.
pub fn meminfo(key: &str) -> Option<u64> {
    let kib = first_line_with("/proc/meminfo", key)?;
    let kib: u64 = kib.trim_end_matches("kB").trim().parse().ok()?;
    Some(kib * 1024)
}

/// The limits that bound the runs, by name, with their current values.
pub fn limits_now() -> Vec<(&'static str, String)> {
    let sysctl = |name| limits::read_sysctl(name).map_or("unreadable".into(), |v| v.to_string());
    vec![
        ("kernel.pid_max", sysctl("kernel.pid_max")),
        ("kernel.threads-max", sysctl("kernel.threads-max")),
        ("vm.max_map_count", sysctl("vm.max_map_count")),
        ("ulimit -u", rlimit(libc::RLIMIT_NPROC, 1)),
        ("ulimit -l (KiB)", rlimit(libc::RLIMIT_MEMLOCK, 1024)),
        (
            "kernel.io_uring_disabled",
            sysctl("kernel.io_uring_disabled"),
        ),
        (
            results::env::THREADS_RUNNING,
            limits::threads_on_machine().to_string(),
        ),
        (
            results::env::MEMORY_AVAILABLE,
            (available_memory() >> 20).to_string(),
        ),
    ]
}

fn rlimit(resource: libc::__rlimit_resource_t, unit: u64) -> String {
    match limits::soft_limit(resource) {
        Some(limit) => (limit / unit).to_string(),
        None => "unlimited".into(),
    }
}

/// MemAvailable from /proc/meminfo, in bytes (0 where it cannot be read).
pub fn available_memory() -> u64 {
    meminfo("MemAvailable").unwrap_or(0)
}

/// The CPU time process `pid` has taken so far, all its threads, in seconds (utime and stime
/// of /proc/PID/stat); none once it has gone.
pub fn cpu_seconds(pid: i32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The fields after the name, which may hold spaces, begin with the state (field 3).
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // SAFETY: sysconf only reads a constant of the system.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    Some(ticks as f64 / per_second.max(1) as f64)
}
