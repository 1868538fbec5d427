//! N smol tasks that each sleep, all joined in order: the article's program on smol.
use harness::Run;
use smol::Timer;

fn main() {
    smol::block_on(async_main())
}

async fn async_main() {
    let mut run = Run::start("smol");

    let mut tasks = Vec::new();
    for _ in 0..run.tasks {
        let task = smol::spawn(async move {
            Timer::after(run.sleep).await;
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
