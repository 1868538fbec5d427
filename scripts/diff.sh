#!/usr/bin/env bash
# Shows two implementations side by side: scripts/diff.sh tokio smol
set -uo pipefail
cd "$(dirname "$0")/.."
valid=$(ls -d crates/bench-*/ | sed 's|crates/bench-||; s|/$||' | tr '\n' ' ')
if [ $# -ne 2 ]; then
  echo "usage: scripts/diff.sh A B, where A and B are among: $valid" >&2
  exit 2
fi
for name in "$1" "$2"; do
  if [ ! -f "crates/bench-$name/src/main.rs" ]; then
    echo "error: unknown implementation '$name': expected one of: $valid" >&2
    exit 2
  fi
done
diff -u "crates/bench-$1/src/main.rs" "crates/bench-$2/src/main.rs"
status=$?
# diff exits 1 when the files differ, which is what is asked for.
[ "$status" -le 1 ] && exit 0 || exit "$status"
