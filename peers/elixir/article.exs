# The article's Elixir program as printed, in the module its repository wraps it in, for the
# fidelity runs (scripts/bench.sh --fidelity): only the task count and the sleep (seconds,
# default 10) come from the command line. Started by ../elixir-support/run.sh --alone, with
# +P as the article did at 1M.
defmodule Main do
  def start() do
    [num_tasks | rest] = System.argv()
    num_tasks = String.to_integer(num_tasks)

    sleep_ms =
      case rest do
        [seconds] -> round(elem(Float.parse(seconds), 0) * 1000)
        [] -> 10_000
      end

    tasks =
      for _ <- 1..num_tasks do
        Task.async(fn ->
          :timer.sleep(sleep_ms)
        end)
      end

    Task.await_many(tasks, :infinity)
  end
end

Main.start()
