//! Run with: cargo bench -p bench-glommio --bench launch_cost
//!
//! The cost of launching glommio tasks (see launch-cost's crate): the same spawn, sleep and join calls
//! as src/main.rs, in a runtime that is already running.
use std::time::Duration;

struct Glommio(glommio::LocalExecutor);

impl launch_cost::Runtime for Glommio {
    fn name(&self) -> &'static str {
        "glommio"
    }
    fn spawn_join(&self, tasks: usize, sleep: Option<Duration>) -> usize {
        self.0.run(async {
            let mut handles = Vec::new();
            for _ in 0..tasks {
                handles.push(glommio::spawn_local(async move {
                    if let Some(sleep) = sleep {
                        glommio::timer::sleep(sleep).await;
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
            "skipped glommio: {}",
            harness::limits::message(0, "glommio tasks", &needs)
        );
        return;
    }
    match glommio::LocalExecutorBuilder::default().make() {
        Ok(executor) => launch_cost::bench(&Glommio(executor)),
        Err(e) => eprintln!("skipped glommio: glommio could not start: {e}"),
    }
}
