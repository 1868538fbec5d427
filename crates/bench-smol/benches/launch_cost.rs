//! Run with: cargo bench -p bench-smol --bench launch_cost
//!
//! The cost of launching smol tasks (see launch-cost's crate): the same spawn, sleep and join calls
//! as src/main.rs, in a runtime that is already running.
use std::time::Duration;

struct Smol;

impl launch_cost::Runtime for Smol {
    fn name(&self) -> &'static str {
        "smol"
    }
    fn spawn_join(&self, tasks: usize, sleep: Option<Duration>) -> usize {
        smol::block_on(async {
            let mut handles = Vec::new();
            for _ in 0..tasks {
                handles.push(smol::spawn(async move {
                    if let Some(sleep) = sleep {
                        smol::Timer::after(sleep).await;
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
    launch_cost::bench(&Smol);
}
