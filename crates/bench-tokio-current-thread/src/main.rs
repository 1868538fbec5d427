//! The article's tokio program on tokio's single-threaded runtime (`current_thread`): the
//! tasks, the sleeps and the joins all on the main thread.
use harness::Run;
use tokio::{task, time};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut run = Run::start("tokio");

    let mut tasks = Vec::new();
    for _ in 0..run.tasks {
        let task = task::spawn(async move {
            time::sleep(run.sleep).await;
        });
        tasks.push(task);
    }
    run.all_spawned();

    for task in tasks {
        run.joined(task.await.is_ok());
    }
    run.finish()
}
