//! N glommio tasks that each sleep, all joined in order: the article's program on glommio.
use glommio::{timer, LocalExecutorBuilder};
use harness::{limits, Run};

fn main() {
    let mut run = Run::parse("glommio");
    run.require("glommio tasks", limits::IO_URING);
    let executor = run.runtime_started(LocalExecutorBuilder::default().make());
    executor.run(async_main(run))
}

async fn async_main(mut run: Run) {
    let mut tasks = Vec::new();
    for _ in 0..run.tasks {
        let task = glommio::spawn_local(async move {
            timer::sleep(run.sleep).await;
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
