//! The 2024 follow-up's "futures" program (rust_futures), for the fidelity runs
//! (scripts/bench.sh --fidelity): every sleep future made by an iterator that join_all takes
//! whole, awaited in the main task. Only the task count and the sleep (seconds, default 10)
//! come from the command line.
use futures_util::future::join_all;
use std::time::Duration;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let num_tasks: usize = args[1].parse().unwrap();
    let seconds = Duration::from_secs_f64(args.get(2).map_or(10.0, |s| s.parse().unwrap()));

    join_all((0..num_tasks).map(|_| tokio::time::sleep(seconds))).await;
}
