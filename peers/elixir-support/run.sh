#!/bin/sh
# run.sh [--alone] MAIN.exs TASKS [--sleep SECONDS]: starts an Elixir program as the article
# did, with bench.exs loaded first (not with --alone: the article's program as printed):
# Elixir's defaults, with the VM's process limit (+P) raised only when the tasks would pass
# its default of 262,144, to the tasks and 100,000 more (the article: +P 1000000 at 1M). The
# count is read as bench.exs reads it; bench.exs checks it.
alone=false
if [ "${1:-}" = "--alone" ]; then alone=true; shift; fi
main=$1
shift
tasks=$(printf '%s' "${1:-0}" | sed 's/_//g; s/[kK]$/000/; s/M$/000000/')
case "$tasks" in (''|*[!0-9]*) tasks=0 ;; esac
set -- "$main" "$@"
$alone || set -- -r "$(dirname "$0")/bench.exs" "$@"
if [ "$tasks" -gt 262000 ]; then
  exec elixir --erl "+P $((tasks + 100000))" "$@"
fi
exec elixir "$@"
