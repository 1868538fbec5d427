//! The article's tokio program without the harness, the control that shows the harness does not
//! show in the numbers (tests/overhead.rs measures both from outside). Usage:
//! `bare-tokio <TASKS> <SLEEP_SECONDS>`.
use std::time::Duration;
use tokio::{task, time};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let num_tasks: usize = args[1].parse().unwrap();
    let sleep = Duration::from_secs_f64(args[2].parse().unwrap());

    let mut tasks = Vec::new();
    for _ in 0..num_tasks {
        tasks.push(task::spawn(async move {
            time::sleep(sleep).await;
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
}
