//! What every implementation's launch-cost bench shares (`crates/bench-<runtime>/benches/
//! launch_cost.rs`): a runtime that is already running spawns N tasks and joins them all,
//! each task doing nothing (`spawn_join`) or sleeping the shortest duration, so that it
//! registers and fires a timer (`spawn_sleep_join`). One criterion group per kind and count
//! (`<kind>_<tasks>`), one function per runtime, with element throughput, so that criterion
//! states the time per task beside the total.
//!
//! Run every implementation's with `cargo bench --workspace --bench launch_cost`.

use criterion::{Criterion, Throughput};
use std::time::Duration;

/// Task counts per group; a runtime may decline some (see `Runtime::cannot_run`).
pub const TASK_COUNTS: &[usize] = &[1_000, 10_000, 100_000];

/// The shortest sleep each runtime can register: a real timer, fired at once.
pub const MINIMAL_SLEEP: Duration = Duration::from_nanos(1);

/// The benchmark kinds: the group name's prefix and the sleep of each task.
pub const KINDS: &[(&str, Option<Duration>)] = &[
    ("spawn_join", None),
    ("spawn_sleep_join", Some(MINIMAL_SLEEP)),
];

/// A running runtime that spawns `tasks` tasks, each sleeping `sleep` (none if `None`), and
/// joins them all, counting them: with the same spawn, sleep and join calls as its binary.
pub trait Runtime {
    fn name(&self) -> &'static str;
    fn spawn_join(&self, tasks: usize, sleep: Option<Duration>) -> usize;
    /// Why `tasks` tasks are not measured here, if they are not.
    fn cannot_run(&self, tasks: usize) -> Option<String> {
        let _ = tasks;
        None
    }
}

/// Benchmarks `runtime` at every kind and task count, as `cargo bench` (or, in criterion's
/// test mode, `cargo test`) asked on the command line.
pub fn bench(runtime: &dyn Runtime) {
    let mut criterion = Criterion::default().configure_from_args();
    for (kind, sleep) in KINDS {
        for &tasks in TASK_COUNTS {
            if let Some(why) = runtime.cannot_run(tasks) {
                eprintln!("skipped {} at {tasks} tasks: {why}", runtime.name());
                continue;
            }
            let mut group = criterion.benchmark_group(format!("{kind}_{tasks}"));
            group
                .throughput(Throughput::Elements(tasks as u64))
                .sample_size(10)
                .warm_up_time(Duration::from_secs(1))
                .measurement_time(Duration::from_secs(3));
            group.bench_function(runtime.name(), |b| {
                b.iter(|| assert_eq!(runtime.spawn_join(tasks, *sleep), tasks));
            });
            group.finish();
        }
    }
    criterion.final_summary();
}
