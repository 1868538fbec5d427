//! Run with: cargo bench -p bench-async-std --bench launch_cost
//!
//! The cost of launching async-std tasks (see launch-cost's crate): the same spawn, sleep and join calls
//! as src/main.rs, in a runtime that is already running.
use std::time::Duration;

struct AsyncStd;

impl launch_cost::Runtime for AsyncStd {
    fn name(&self) -> &'static str {
        "async-std"
    }
    fn spawn_join(&self, tasks: usize, sleep: Option<Duration>) -> usize {
        async_std::task::block_on(async {
            let mut handles = Vec::new();
            for _ in 0..tasks {
                handles.push(async_std::task::spawn(async move {
                    if let Some(sleep) = sleep {
                        async_std::task::sleep(sleep).await;
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
    launch_cost::bench(&AsyncStd);
}
