//! The set-up both benches share: one criterion group per task count, one function per
//! runtime, with element throughput so that criterion states the time per task.

use criterion::{Criterion, Throughput};
use launch_cost::{runtimes, TASK_COUNTS};
use std::time::Duration;

/// Benchmarks spawning and joining every task count on every runtime, each task sleeping
/// `sleep` (or not at all). Groups are named `<kind>_<tasks>`.
pub fn bench_every_runtime(c: &mut Criterion, kind: &str, sleep: Option<Duration>) {
    let runtimes = runtimes();
    for &tasks in TASK_COUNTS {
        let mut group = c.benchmark_group(format!("{kind}_{tasks}"));
        group
            .throughput(Throughput::Elements(tasks as u64))
            .sample_size(10)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(3));
        for runtime in &runtimes {
            if let Some(why) = runtime.cannot_run(tasks) {
                eprintln!("skipped {} at {tasks} tasks: {why}", runtime.name());
                continue;
            }
            group.bench_function(runtime.name(), |b| {
                b.iter(|| assert_eq!(runtime.spawn_join(tasks, sleep), tasks));
            });
        }
        group.finish();
    }
}
