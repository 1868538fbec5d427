//! The floor: N futures that each sleep, on the smallest executor that still behaves like one
//! (src/lib.rs). A reference for "what is the least memory N sleeping tasks need in Rust?",
//! not a runtime anyone should use.
use bench_floor::{sleep, Executor};
use harness::Run;

fn main() {
    let mut run = Run::start("floor");

    let mut tasks = Executor::with_capacity(run.tasks);
    for _ in 0..run.tasks {
        tasks.spawn(async move {
            sleep(run.sleep).await;
        });
    }
    run.all_spawned();

    tasks.run(|| run.joined(true));
    run.finish()
}
