//! The 2024 follow-up's "futures" program on tokio: one sleep future per task, none spawned,
//! made by an iterator that `join_all` takes whole, all awaited in the main task. Not the
//! runtime's task cost: the futures are polled by `join_all` in one task; whether the sleeps
//! still overlap is measured.
use futures_util::future::join_all;
use harness::Run;
use tokio::time;

#[tokio::main]
async fn main() {
    let mut run = Run::start("tokio");

    let tasks = (0..run.tasks).map(|_| time::sleep(run.sleep));
    let joined = join_all(tasks);
    run.all_spawned();

    for () in joined.await {
        run.joined(true);
    }
    run.finish()
}
