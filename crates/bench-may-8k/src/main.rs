//! The may program with 8 KiB coroutine stacks instead of the default 32 KiB.
use harness::{limits, Run};
use may::{coroutine, go};

fn main() {
    let mut run = Run::start("may");
    run.require("coroutines", limits::COROUTINE_STACK);
    may::config().set_stack_size(1 << 10); // in words: 8 KiB

    let mut tasks = Vec::new();
    for _ in 0..run.tasks {
        let task = go!(move || {
            coroutine::sleep(run.sleep);
        });
        tasks.push(task);
    }
    run.all_spawned();

    for task in tasks {
        // may 0.3.51's sleep can touch this handle after its coroutine ended: never free it.
        std::mem::forget(task.coroutine().clone());
        run.joined(task.join().is_ok());
    }
    run.finish()
}
