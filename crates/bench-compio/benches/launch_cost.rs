//! Run with: cargo bench -p bench-compio --bench launch_cost
//!
//! The cost of launching compio tasks (see launch-cost's crate): the same spawn, sleep and join
//! calls as src/main.rs, in a runtime that is already running.
use compio::runtime::Runtime;
use std::time::Duration;

struct Compio(Runtime);

impl launch_cost::Runtime for Compio {
    fn name(&self) -> &'static str {
        "compio"
    }
    fn spawn_join(&self, tasks: usize, sleep: Option<Duration>) -> usize {
        self.0.block_on(async {
            let mut handles = Vec::new();
            for _ in 0..tasks {
                handles.push(compio::runtime::spawn(async move {
                    if let Some(sleep) = sleep {
                        compio::time::sleep(sleep).await;
                    }
                }));
            }
            let mut completed = 0;
            for handle in handles {
                completed += usize::from(handle.await.is_ok());
            }
            completed
        })
    }
}

fn main() {
    let needs = harness::limits::IO_URING.shortfalls(0);
    if !needs.is_empty() {
        eprintln!(
            "skipped compio: {}",
            harness::limits::message(0, "compio tasks", &needs)
        );
        return;
    }
    match Runtime::new() {
        Ok(runtime) => launch_cost::bench(&Compio(runtime)),
        Err(e) => eprintln!("skipped compio: compio could not start: {e}"),
    }
}
