//! Run with: cargo bench -p bench-threads --bench launch_cost
//!
//! The cost of launching OS threads (see launch-cost's crate): the same spawn, sleep and join calls
//! as src/main.rs, in a runtime that is already running.
use std::time::Duration;

struct Threads;

impl launch_cost::Runtime for Threads {
    fn name(&self) -> &'static str {
        "threads"
    }
    fn spawn_join(&self, tasks: usize, sleep: Option<Duration>) -> usize {
        let mut handles = Vec::new();
        for _ in 0..tasks {
            let handle = std::thread::Builder::new().spawn(move || {
                if let Some(sleep) = sleep {
                    std::thread::sleep(sleep);
                }
            });
            handles.push(handle.expect("the OS refused a thread"));
        }
        handles.into_iter().filter_map(|h| h.join().ok()).count()
    }
    fn cannot_run(&self, tasks: usize) -> Option<String> {
        if tasks > 10_000 {
            return Some("OS threads are measured at 1,000 and 10,000 only".into());
        }
        let short = harness::limits::OS_THREAD.shortfalls(tasks as u64);
        (!short.is_empty()).then(|| harness::limits::message(tasks, "threads", &short))
    }
}

fn main() {
    launch_cost::bench(&Threads);
}
