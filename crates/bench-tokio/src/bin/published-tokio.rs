//! The 2024 follow-up's tokio program (rust_tokio), the nearest published Rust program to the
//! article's, for the fidelity runs (scripts/bench.sh --fidelity): each sleep future spawned as
//! a task of its own. Only the task count and the sleep (seconds, default 10) come from the
//! command line.
use std::time::Duration;
use tokio::{spawn, time::sleep};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let num_tasks: usize = args[1].parse().unwrap();
    let seconds = Duration::from_secs_f64(args.get(2).map_or(10.0, |s| s.parse().unwrap()));

    let mut tasks = Vec::with_capacity(num_tasks);
    for _ in 0..num_tasks {
        tasks.push(spawn(sleep(seconds)));
    }
    for task in tasks {
        task.await.unwrap();
    }
}
