//! The article's Rust threads program with 16 KiB thread stacks, the least glibc allows.
use harness::{limits, Run};
use std::thread;

fn main() {
    let mut run = Run::start("threads");
    run.require("threads", limits::OS_THREAD);

    let mut handles = Vec::new();
    for _ in 0..run.tasks {
        let handle = thread::Builder::new().stack_size(16 << 10).spawn(move || {
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
