//! What the kernel says about a process: `/proc/<pid>/status`, `getrusage` and `/proc` files.

use std::time::Duration;

/// The fields of `/proc/self/status` that a run reports.
#[derive(Debug, Default, Clone, Copy)]
pub struct ProcStatus {
    /// VmHWM: the peak resident set of this process alone, as the kernel recorded it.
    pub peak_rss_bytes: u64,
    /// VmRSS: the resident set now, summed exactly over the kernel's per-CPU counters.
    pub rss_bytes: u64,
    /// VmPTE: the memory held by this process's page tables now.
    pub page_tables_bytes: u64,
    /// Threads: OS threads of this process now.
    pub threads: u64,
}

impl ProcStatus {
    /// Reads `/proc/self/status`; a field the kernel does not give stays 0.
    pub fn read() -> ProcStatus {
        std::fs::read_to_string("/proc/self/status")
            .map(|text| ProcStatus::parse(&text))
            .unwrap_or_default()
    }

    pub fn parse(text: &str) -> ProcStatus {
        let mut status = ProcStatus::default();
        for line in text.lines() {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let field = match key {
                "VmHWM" => &mut status.peak_rss_bytes,
                "VmRSS" => &mut status.rss_bytes,
                "VmPTE" => &mut status.page_tables_bytes,
                "Threads" => &mut status.threads,
                _ => continue,
            };
            let mut words = value.split_whitespace();
            let number: u64 = words.next().and_then(|n| n.parse().ok()).unwrap_or(0);
            *field = match words.next() {
                Some("kB") => number * 1024,
                _ => number,
            };
        }
        status
    }
}

/// What `getrusage(RUSAGE_SELF)` says.
#[derive(Debug, Default, Clone, Copy)]
pub struct Usage {
    /// ru_maxrss in bytes. On Linux it starts from the parent's resident size at exec.
    pub max_rss_bytes: u64,
    pub user: Duration,
    pub system: Duration,
}

impl Usage {
    pub fn read() -> Usage {
        // SAFETY: getrusage only writes into the zeroed struct it is given.
        let usage = unsafe {
            let mut usage: libc::rusage = std::mem::zeroed();
            if libc::getrusage(libc::RUSAGE_SELF, &mut usage) != 0 {
                return Usage::default();
            }
            usage
        };
        let seconds = |t: libc::timeval| {
            Duration::new(t.tv_sec as u64, 0) + Duration::from_micros(t.tv_usec as u64)
        };
        Usage {
            max_rss_bytes: usage.ru_maxrss as u64 * 1024,
            user: seconds(usage.ru_utime),
            system: seconds(usage.ru_stime),
        }
    }
}

/// A number from a one-number file such as `/proc/sys/kernel/pid_max`.
pub fn read_number(path: &str) -> Option<u64> {
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_status_fields_in_bytes() {
        let text =
            "Name:\tx\nVmHWM:\t    3072 kB\nVmRSS:\t  2048 kB\nVmPTE:\t 60 kB\nThreads:\t7\n";
        let status = ProcStatus::parse(text);
        assert_eq!(status.peak_rss_bytes, 3072 * 1024);
        assert_eq!(status.rss_bytes, 2048 * 1024);
        assert_eq!(status.page_tables_bytes, 60 * 1024);
        assert_eq!(status.threads, 7);
    }

    #[test]
    fn reads_this_process() {
        let status = ProcStatus::read();
        assert!(status.peak_rss_bytes > 0);
        assert!(status.threads >= 1);
        assert!(Usage::read().max_rss_bytes > 0);
    }
}
