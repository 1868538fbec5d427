//! N OS threads that each sleep, all joined in order: the article's Rust threads program.
use harness::{limits, Run};
use std::thread;

fn main() {
    let mut run = Run::start("threads");
    run.require("threads", limits::OS_THREAD);

    let mut handles = Vec::new();
    for _ in 0..run.tasks {
        let handle = thread::Builder::new().spawn(move || {
            thread::sleep(run.sleep);
        });
        handles.push(run.spawned(handle));
    }
    run.all_spawned();

    for handle in handles {
        run.joined(handle.join().is_ok());
    }
    run.finish()
}
