//! `--raise-limits`: raises the kernel limits that stop large runs, for the run only, and
//! puts the old values back when the run ends, also after Ctrl-C or a failure.

use harness::limits::{threads_on_machine, MAPPINGS_PER_THREAD};
use harness::proc::read_number;

/// The kernel's ceiling for pid_max.
const PID_MAX_LIMIT: u64 = 4_194_304;

/// Kernel settings changed for the run, with their old values.
pub struct Raised {
    old: Vec<(&'static str, u64)>,
}

fn path(name: &str) -> String {
    format!("/proc/sys/{}", name.replace('.', "/"))
}

impl Raised {
    /// Raises pid_max, threads-max and max_map_count far enough for `max_tasks` threads or
    /// coroutines. Root only.
    pub fn raise(max_tasks: usize) -> Result<Raised, String> {
        // SAFETY: geteuid cannot fail.
        if unsafe { libc::geteuid() } != 0 {
            return Err("--raise-limits needs root: run as root, or raise the limits the preflight names yourself".into());
        }
        let tasks = max_tasks as u64;
        let wanted = [
            (
                "kernel.pid_max",
                (tasks + threads_on_machine() + 10_000).min(PID_MAX_LIMIT),
            ),
            ("kernel.threads-max", tasks + threads_on_machine() + 10_000),
            ("vm.max_map_count", tasks * MAPPINGS_PER_THREAD + 100_000),
        ];
        let mut raised = Raised { old: Vec::new() };
        for (name, value) in wanted {
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
