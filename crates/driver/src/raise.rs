//! `--raise-limits`: raises the kernel limits that stop large runs, for the run only, and
//! puts the old values back when the run ends, also after Ctrl-C or a failure.

use harness::limits::{threads_on_machine, MAPPINGS_PER_THREAD, PID_MAX_LIMIT};
use harness::proc::read_number;

/// Kernel settings changed for the run, with their old values.
pub struct Raised {
    old: Vec<(&'static str, u64)>,
}

fn path(name: &str) -> String {
    format!("/proc/sys/{}", name.replace('.', "/"))
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

impl Raised {
    /// Raises pid_max, threads-max and max_map_count far enough for `max_tasks` threads or
    /// coroutines. Root only.
    pub fn raise(max_tasks: usize) -> Result<Raised, String> {
        // SAFETY: geteuid cannot fail.
        if unsafe { libc::geteuid() } != 0 {
            return Err("--raise-limits needs root: run as root, or raise the limits the preflight names yourself".into());
        }
        let mut raised = Raised { old: Vec::new() };
        for (name, value) in wanted(max_tasks as u64, threads_on_machine()) {
            let current = read_number(&path(name)).ok_or(format!("cannot read {name}"))?;
            if current < value {
                std::fs::write(path(name), value.to_string())
                    .map_err(|e| format!("cannot set {name}={value}: {e}"))?;
                eprintln!("raised {name} from {current} to {value} for this run");
                raised.old.push((name, current));
            }
        }
        Ok(raised)
    }

    pub fn restore(&mut self) {
        for (name, value) in self.old.drain(..) {
            match std::fs::write(path(name), value.to_string()) {
                Ok(()) => eprintln!("restored {name} to {value}"),
                Err(e) => eprintln!(
                    "error: cannot restore {name} to {value}: {e}; run: sysctl -w {name}={value}"
                ),
            }
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
}
