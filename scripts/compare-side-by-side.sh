#!/usr/bin/env bash
# Proves that cells read the same side by side (overlapping in their sleeps) as alone: the
# cells that bench.sh's options name (by default the default matrix at 1 and 10,000 tasks)
# measured both ways in turns into one folder, whose report compares them cell by cell.
# Usage: scripts/compare-side-by-side.sh [--turns N] [--out DIR] [bench.sh options...]
set -euo pipefail
cd "$(dirname "$0")/.."
turns=3
out=results/$(date -u +%Y-%m-%dT%H-%M-%SZ)-side-by-side
while [ $# -gt 0 ]; do
  case $1 in
    --turns) turns=${2-}; shift $(($# > 1 ? 2 : 1)) ;;
    --out) out=${2-}; shift $(($# > 1 ? 2 : 1)) ;;
    *) break ;;
  esac
done
case $turns in
  '' | *[!0-9]* | 0)
    echo "error: invalid --turns '$turns': expected a whole number of at least 1" >&2
    exit 2
    ;;
esac
[ -n "$out" ] || { echo "error: --out needs a folder" >&2; exit 2; }
[ $# -gt 0 ] || set -- --tasks 1,10k
for turn in $(seq "$turns"); do
  echo "turn $turn of $turns: side by side, then one at a time" >&2
  scripts/bench.sh "$@" --out "$out"
  scripts/bench.sh "$@" --one-at-a-time --out "$out"
done
