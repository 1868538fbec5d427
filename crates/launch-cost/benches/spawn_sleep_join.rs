//! Run with: cargo bench -p launch-cost --bench spawn_sleep_join
//!
//! The cost of a task that registers a timer and is woken by it: N tasks spawned, each
//! sleeping the shortest duration, and joined, inside a runtime that is already running.
use criterion::{criterion_group, criterion_main, Criterion};
use launch_cost::MINIMAL_SLEEP;

mod common;

fn spawn_sleep_join(c: &mut Criterion) {
    common::bench_every_runtime(c, "spawn_sleep_join", Some(MINIMAL_SLEEP));
}

criterion_group!(benches, spawn_sleep_join);
criterion_main!(benches);
