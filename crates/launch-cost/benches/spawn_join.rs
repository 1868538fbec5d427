//! Run with: cargo bench -p launch-cost --bench spawn_join
//!
//! The cost of starting and finishing a task that does nothing: N tasks spawned and joined,
//! inside a runtime that is already running.
use criterion::{criterion_group, criterion_main, Criterion};

mod common;

fn spawn_join(c: &mut Criterion) {
    common::bench_every_runtime(c, "spawn_join", None);
}

criterion_group!(benches, spawn_join);
criterion_main!(benches);
