//! Run with: cargo bench -p bench-may --bench launch_cost
//!
//! The cost of launching may coroutines (see launch-cost's crate): the same spawn, sleep and join calls
//! as src/main.rs, in a runtime that is already running.
use std::time::Duration;

struct May;

impl launch_cost::Runtime for May {
    fn name(&self) -> &'static str {
        "may"
    }
    fn spawn_join(&self, tasks: usize, sleep: Option<Duration>) -> usize {
        let mut handles = Vec::new();
        for _ in 0..tasks {
            handles.push(may::go!(move || {
                if let Some(sleep) = sleep {
                    may::coroutine::sleep(sleep);
                }
            }));
        }
        let joined = handles.into_iter().filter_map(|handle| {
            if sleep.is_some() {
                // As in src/main.rs: may 0.3.51's sleep can touch this handle after its
                // coroutine ended, so it is never freed (README, caveats).
                std::mem::forget(handle.coroutine().clone());
            }
            handle.join().ok()
        });
        joined.count()
    }
    fn cannot_run(&self, tasks: usize) -> Option<String> {
        let short = harness::limits::COROUTINE_STACK.shortfalls(tasks as u64);
        (!short.is_empty()).then(|| harness::limits::message(tasks, "coroutines", &short))
    }
}

fn main() {
    launch_cost::bench(&May);
}
