//! Run with: cargo bench -p bench-tokio --bench launch_cost
//!
//! The cost of launching tokio tasks (see launch-cost's crate): the same spawn, sleep and join calls
//! as src/main.rs, in a runtime that is already running.
use std::time::Duration;

/// The runtime `#[tokio::main]` builds: multi-threaded, with timers.
struct Tokio(tokio::runtime::Runtime);

impl launch_cost::Runtime for Tokio {
    fn name(&self) -> &'static str {
        "tokio"
    }
    fn spawn_join(&self, tasks: usize, sleep: Option<Duration>) -> usize {
        self.0.block_on(async {
            let mut handles = Vec::new();
            for _ in 0..tasks {
                handles.push(tokio::task::spawn(async move {
                    if let Some(sleep) = sleep {
                        tokio::time::sleep(sleep).await;
                    }
                }));
            }
            let mut completed = 0;
            for handle in handles {
                completed += handle.await.is_ok() as usize;
            }
            completed
        })
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build();
    launch_cost::bench(&Tokio(runtime.expect("tokio starts")));
}
