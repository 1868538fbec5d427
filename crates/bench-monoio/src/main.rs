//! N monoio tasks that each sleep, all joined in order: the article's program on monoio.
use harness::{limits, Run};
use monoio::{time, IoUringDriver, RuntimeBuilder};

fn main() {
    let mut run = Run::parse("monoio");
    run.require("monoio tasks", limits::IO_URING);
    let runtime = RuntimeBuilder::<IoUringDriver>::new()
        .enable_timer()
        .build();
    let mut runtime = run.runtime_started(runtime);
    runtime.block_on(async_main(run))
}

async fn async_main(mut run: Run) {
    let mut tasks = Vec::new();
    for _ in 0..run.tasks {
        let task = monoio::spawn(async move {
            time::sleep(run.sleep).await;
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
