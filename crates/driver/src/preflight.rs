//! Whether a cell fits the machine: the OS limits, checked as the Rust binaries check them
//! (harness::limits) with what each task takes by its manifest, and the memory available.

use catalog::Implementation;
use harness::limits;
use results::format::gib;
use results::Row;

/// Kernel memory per OS thread that resident memory does not show, used only when no
/// cgroup measured it: its 16 KiB kernel stack and task structures, rounded up.
const KERNEL_BYTES_PER_THREAD: u64 = 32 << 10;

/// A conservative estimate of the memory `tasks` tasks of `implementation` need: from the
/// largest smaller cell of it that succeeded in this run with every task alive at once (one
/// whose first tasks ended before the last began under-reads), from everything the meter saw
/// it cost per task, the kernel's part included, with half again as margin; or from the
/// manifest's stated bound.
pub fn estimated_bytes(implementation: &Implementation, tasks: usize, done: &[Row]) -> u64 {
    let manifest = &implementation.manifest;
    let measured = done
        .iter()
        .filter(|row| row.is_ok() && row.measurement.all_alive == Some(true))
        .filter(|row| row.measurement.implementation == manifest.name())
        .filter(|row| row.cell_tasks >= 1000 && row.cell_tasks < tasks)
        .max_by_key(|row| row.cell_tasks);
    let per_task = match measured {
        Some(row) => {
            let m = &row.measurement;
            let resident = m.peak_rss_bytes.unwrap_or(0) + m.page_tables_bytes.unwrap_or(0);
            let total = match &m.kernel {
                Some(kernel) => resident.max(kernel.total_peak_bytes),
                None => {
                    let threads = implementation.needs().threads_per_task * row.cell_tasks as u64;
                    resident + threads * KERNEL_BYTES_PER_THREAD
                }
            };
            total / row.cell_tasks as u64
        }
        None => manifest.bytes_per_task_bound(),
    };
    tasks as u64 * per_task * 3 / 2
}

/// Whether `needed` bytes fit in `available` with a tenth to spare for everything else.
pub fn fits(needed: u64, available: u64) -> bool {
    needed <= available / 10 * 9
}

/// Why a cell must not run on a machine with `available` bytes free, if it must not.
pub fn reason_to_skip(
    implementation: &Implementation,
    tasks: usize,
    done: &[Row],
    available: u64,
) -> Option<String> {
    let shortfalls = implementation.shortfalls(tasks);
    if !shortfalls.is_empty() {
        return Some(limits::message(tasks, "tasks", &shortfalls));
    }
    let needed = estimated_bytes(implementation, tasks, done);
    (!fits(needed, available)).then(|| {
        format!(
            "memory: {} at {tasks} tasks needs about {:.1} GiB, {:.1} GiB is available \
             (run it on a machine with more memory)",
            implementation.name(),
            gib(needed),
            gib(available)
        )
    })
}

/// Estimates and skips for this repository's implementations, on this machine's limits.
#[cfg(test)]
mod on_this_repository {
    use super::*;
    use results::fixtures::ok_row;
    use results::Kernel;

    /// An implementation of this repository; `java-threads` stands for a program of one OS
    /// thread per task, as its manifest says so whether or not anything is built.
    fn implementation(name: &str) -> Implementation {
        catalog::discover(&catalog::repository_root())
            .unwrap()
            .into_iter()
            .find(|i| i.name() == name)
            .unwrap()
    }

    #[test]
    fn estimates_come_from_the_largest_smaller_cell_with_margin() {
        let done = [
            ok_row("tokio", 10_000, 10_000 * 500),
            ok_row("tokio", 1_000, 1_000 * 900),
        ];
        let tokio = implementation("tokio");
        assert_eq!(
            estimated_bytes(&tokio, 1_000_000, &done),
            1_000_000 * 500 * 3 / 2
        );
        let smol = implementation("smol");
        let bound = smol.manifest.bytes_per_task_bound();
        assert_eq!(
            estimated_bytes(&smol, 1_000_000, &done),
            1_000_000 * bound * 3 / 2
        );
    }

    /// A launch longer than the sleep leaves only some tasks alive at once, so its peak says
    /// little of what more live ones need.
    #[test]
    fn a_cell_whose_tasks_were_not_all_alive_is_passed_over() {
        let mut partly_alive = ok_row("tokio", 100_000, 100_000 * 50);
        partly_alive.measurement.all_alive = Some(false);
        let done = [ok_row("tokio", 10_000, 10_000 * 500), partly_alive];
        assert_eq!(
            estimated_bytes(&implementation("tokio"), 1_000_000, &done),
            1_000_000 * 500 * 3 / 2
        );
    }

    #[test]
    fn the_kernels_share_counts_measured_or_bounded() {
        let threads = implementation("java-threads");
        let guessed = [ok_row("java-threads", 10_000, 10_000 * 10_000)];
        let expected = 1_000_000 * (10_000 + KERNEL_BYTES_PER_THREAD) * 3 / 2;
        assert_eq!(estimated_bytes(&threads, 1_000_000, &guessed), expected);
        let mut measured = guessed.clone();
        measured[0].measurement.kernel = Some(Kernel {
            cgroup: "v1".into(),
            total_peak_bytes: 10_000 * 36_000,
            kernel_peak_bytes: Some(10_000 * 26_000),
            kernel_stack_bytes: None,
            page_tables_bytes: None,
            slab_bytes: None,
        });
        assert_eq!(
            estimated_bytes(&threads, 1_000_000, &measured),
            1_000_000 * 36_000 * 3 / 2
        );
    }

    /// A cell larger than the memory available is skipped, whatever the limits say.
    #[test]
    fn a_cell_larger_than_memory_is_skipped_with_the_reason() {
        let smol = implementation("smol");
        let available = 8 << 30;
        let tasks = (available / smol.manifest.bytes_per_task_bound()) as usize + 1;
        let why = reason_to_skip(&smol, tasks, &[], available).expect("too large to fit");
        assert!(
            why.starts_with(&format!("memory: smol at {tasks} tasks needs about ")),
            "{why}"
        );
        assert_eq!(reason_to_skip(&smol, 1000, &[], available), None);
    }

    #[test]
    fn limit_shortfalls_are_the_binaries_own() {
        let pid_max = limits::read_sysctl("kernel.pid_max").unwrap() as usize;
        let threads = implementation("java-threads");
        let why = reason_to_skip(&threads, pid_max + 1, &[], u64::MAX).unwrap();
        assert!(why.contains("kernel.pid_max is"), "{why}");
        assert!(implementation("tokio").shortfalls(pid_max + 1).is_empty());
    }
}
