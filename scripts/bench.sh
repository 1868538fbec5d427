#!/usr/bin/env bash
# Reproduces the article on this machine: every runtime x 1, 10k, 100k and 1M tasks.
# Builds once, then runs the built binaries (never through `cargo run`), the light cells side by side.
# Options: see `scripts/bench.sh --help`.
set -euo pipefail
cd "$(dirname "$0")/.."
building_from=$SECONDS
# Only the driver: it builds each implementation alone, with its crate's own features, which a
# workspace build would unify.
cargo build --release --locked -p driver --quiet
# The driver records this build's time beside its own in env.json.
export BENCH_BUILD_S=$((SECONDS - building_from))
exec target/release/driver "$@"
