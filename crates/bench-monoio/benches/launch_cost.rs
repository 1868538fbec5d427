//! Run with: cargo bench -p bench-monoio --bench launch_cost
//!
//! The cost of launching monoio tasks (see launch-cost's crate): the same spawn, sleep and join
//! calls as src/main.rs, in a runtime that is already running.
use monoio::{IoUringDriver, Runtime, RuntimeBuilder};
use std::cell::RefCell;
use std::time::Duration;

struct Monoio(RefCell<Runtime<monoio::time::TimeDriver<IoUringDriver>>>);

impl launch_cost::Runtime for Monoio {
    fn name(&self) -> &'static str {
        "monoio"
    }
    fn spawn_join(&self, tasks: usize, sleep: Option<Duration>) -> usize {
        self.0.borrow_mut().block_on(async {
            let mut handles = Vec::new();
            for _ in 0..tasks {
                handles.push(monoio::spawn(async move {
                    if let Some(sleep) = sleep {
                        monoio::time::sleep(sleep).await;
                    }
                }));
            }
            let mut completed = 0;
            for handle in handles {
                handle.await;
                completed += 1;
            }
            completed
        })
    }
}

fn main() {
    let needs = harness::limits::IO_URING.shortfalls(0);
    if !needs.is_empty() {
        eprintln!(
            "skipped monoio: {}",
            harness::limits::message(0, "monoio tasks", &needs)
        );
        return;
    }
    match RuntimeBuilder::<IoUringDriver>::new()
        .enable_timer()
        .build()
    {
        Ok(runtime) => launch_cost::bench(&Monoio(RefCell::new(runtime))),
        Err(e) => eprintln!("skipped monoio: monoio could not start: {e}"),
    }
}
