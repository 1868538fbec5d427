#!/usr/bin/env bash
# Shows two implementations side by side: scripts/diff.sh tokio smol (or go java-virtual).
# Every folder with a bench.toml is one (crates/bench-*/, peers/*/); its `source` is compared.
set -uo pipefail
cd "$(dirname "$0")/.."

# name<TAB>source path, for every implementation.
catalog() {
  for manifest in crates/bench-*/bench.toml peers/*/bench.toml; do
    [ -f "$manifest" ] || continue
    name=$(sed -n 's/^name = "\(.*\)"$/\1/p' "$manifest")
    source=$(sed -n 's/^source = "\(.*\)"$/\1/p' "$manifest")
    printf '%s\t%s/%s\n' "$name" "$(dirname "$manifest")" "$source"
  done
}

valid=$(catalog | cut -f1 | sort | tr '\n' ' ')
if [ $# -ne 2 ]; then
  echo "usage: scripts/diff.sh A B, where A and B are among: $valid" >&2
  exit 2
fi
sources=()
for name in "$1" "$2"; do
  source=$(catalog | awk -F'\t' -v name="$name" '$1 == name { print $2 }')
  if [ -z "$source" ] || [ ! -f "$source" ]; then
    echo "error: unknown implementation '$name': expected one of: $valid" >&2
    exit 2
  fi
  sources+=("$source")
done
diff -u "${sources[0]}" "${sources[1]}"
status=$?
# diff exits 1 when the files differ, which is what is asked for.
[ "$status" -le 1 ] && exit 0 || exit "$status"
