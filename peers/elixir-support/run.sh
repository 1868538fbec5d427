#!/bin/sh
# run.sh MAIN.exs TASKS [--sleep SECONDS]: starts an Elixir program as the article did, with
# bench.exs loaded first: Elixir's defaults, with the VM's process limit (+P) raised only when
# the tasks would pass its default of 262,144, to the tasks and 100,000 more (the article:
# +P 1000000 at 1M). The count is read as bench.exs reads it; bench.exs checks it.
main=$1
shift
tasks=$(printf '%s' "${1:-0}" | sed 's/_//g; s/[kK]$/000/; s/M$/000000/')
case "$tasks" in (''|*[!0-9]*) tasks=0 ;; esac
if [ "$tasks" -gt 262000 ]; then
  exec elixir --erl "+P $((tasks + 100000))" -r "$(dirname "$0")/bench.exs" "$main" "$@"
fi
exec elixir -r "$(dirname "$0")/bench.exs" "$main" "$@"
