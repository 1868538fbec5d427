#!/bin/sh
# build.sh ZIG DIR MAIN BUILD: builds the Zig program MAIN of the folder DIR with bench.zig into
# BUILD/main, in release (ReleaseFast), its cache under BUILD and std's in Zig's global cache,
# shared by every clone as Go's build cache is. Where the compiler refuses, its first error
# comes first, in one line that says which std.Io it belongs to.
set -u
zig=$1 dir=$2 main=$3 build=$4
mkdir -p "$build/src" || exit 1
cp "$dir/$main" "$build/src/main.zig" && cp "$(dirname "$0")/bench.zig" "$build/src/" || exit 1
cd "$build" || exit 1
if ! log=$("$zig" build-exe -O ReleaseFast --cache-dir "$build/cache" -femit-bin="$build/main" src/main.zig 2>&1); then
  first=$(printf '%s\n' "$log" | grep -m1 'error:')
  where=$(printf '%s' "$first" | sed -n 's|^.*/lib/std/\([^:]*:[0-9]*\):.*|\1|p')
  echo "error: Zig $("$zig" version)'s std does not compile this program: ${first##*error: }${where:+ (std/$where)}" >&2
  exit 1
fi
