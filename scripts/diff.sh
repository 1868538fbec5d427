#!/usr/bin/env bash
# Shows two implementations side by side: scripts/diff.sh tokio smol (or go java-virtual).
# Every folder with a bench.toml is one (crates/bench-*/, versions/*/, peers/*/); its
# program's source is compared, or, where two run the same program (another release of a
# runtime or a language), what builds it: their Cargo.toml, or else their manifests.
set -uo pipefail
cd "$(dirname "$0")/.."

# name<TAB>source path<TAB>folder, for every implementation, as the catalog finds them (a Rust crate's
# manifest may leave its source to the defaults).
listing=$(cargo run --quiet --locked -p catalog) || exit 1
catalog() { printf '%s\n' "$listing"; }

valid=$(catalog | cut -f1 | sort | tr '\n' ' ')
if [ $# -ne 2 ]; then
  echo "usage: scripts/diff.sh A B, where A and B are among: $valid" >&2
  exit 2
fi
sources=()
folders=()
for name in "$1" "$2"; do
  source=$(catalog | awk -F'\t' -v name="$name" '$1 == name { print $2 }')
  if [ -z "$source" ] || [ ! -f "$source" ]; then
    echo "error: unknown implementation '$name': expected one of: $valid" >&2
    exit 2
  fi
  sources+=("$source")
  folders+=("$(catalog | awk -F'\t' -v name="$name" '$1 == name { print $3 }')")
done
if [ "${sources[0]}" = "${sources[1]}" ]; then
  echo "$1 and $2 run the same program, ${sources[0]}; they differ in what builds and runs it:"
  builds=Cargo.toml
  [ -f "${folders[0]}/$builds" ] && [ -f "${folders[1]}/$builds" ] || builds=bench.toml
  sources=("${folders[0]}/$builds" "${folders[1]}/$builds")
fi
diff -u "${sources[0]}" "${sources[1]}"
status=$?
# diff exits 1 when the files differ, which is what is asked for.
[ "$status" -le 1 ] && exit 0 || exit "$status"
