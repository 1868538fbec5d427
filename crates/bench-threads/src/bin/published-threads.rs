//! The article's Rust threads program as printed in its snippet, for the fidelity runs
//! (scripts/bench.sh --fidelity): only the task count and the sleep (seconds, default 10) come
//! from the command line.
use std::thread;
use std::time::Duration;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let num_threads: usize = args[1].parse().unwrap();
    let sleep = Duration::from_secs_f64(args.get(2).map_or(10.0, |s| s.parse().unwrap()));

    let mut handles = Vec::new();
    for _ in 0..num_threads {
        let handle = thread::spawn(move || {
            thread::sleep(sleep);
        });
        handles.push(handle);
    }
    for handle in handles {
        handle.join().unwrap();
    }
}
