//! N compio tasks that each sleep, all joined in order: the article's program on compio.
use compio::{runtime::Runtime, time};
use harness::{limits, Run};

fn main() {
    let mut run = Run::parse("compio");
    run.require("compio tasks", limits::IO_URING);
    let runtime = run.runtime_started(Runtime::new());
    runtime.block_on(async_main(run))
}

async fn async_main(mut run: Run) {
    let mut tasks = Vec::new();
    for _ in 0..run.tasks {
        let task = compio::runtime::spawn(async move {
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
