//! N async-std tasks that each sleep, all joined in order: the article's async-std program.
use async_std::task;
use harness::Run;

#[async_std::main]
async fn main() {
    let mut run = Run::start("async-std");

    let mut tasks = Vec::new();
    for _ in 0..run.tasks {
        let task = task::spawn(async move {
            task::sleep(run.sleep).await;
        });
        tasks.push(task);
    }
    run.all_spawned();

    for task in tasks {
        task.await;
        run.joined(true);
    }
    run.finish()
}
