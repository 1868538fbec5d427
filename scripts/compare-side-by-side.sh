#!/usr/bin/env bash
# Proves that light cells read the same side by side as alone: the default matrix's light
# cells (1 and 10,000 tasks; the 100k and 1M cells run alone either way) measured both ways in
# turns, 3 times each, into one folder, whose report compares them cell by cell.
# Usage: scripts/compare-side-by-side.sh [OUT] (default results/<UTC timestamp>-side-by-side).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-results/$(date -u +%Y-%m-%dT%H-%M-%SZ)-side-by-side}
for turn in 1 2 3; do
  echo "turn $turn of 3: side by side, then one at a time" >&2
  scripts/bench.sh --tasks 1,10k --out "$out"
  scripts/bench.sh --tasks 1,10k --one-at-a-time --out "$out"
done
