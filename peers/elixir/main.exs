# The article's Elixir program: one Task.async per task, each sleeping, all awaited with
# Task.await_many. Changed only as every implementation here is: the task count and the sleep
# come from the command line, the launch is reported to the meter (BENCH_EVENTS), and the
# tasks that completed are counted (../elixir-support, whose run.sh starts it).
defmodule Main do
  def start(num_tasks, sleep_ms, event) do
    tasks =
      for _ <- 1..num_tasks//1 do
        Task.async(fn ->
          :timer.sleep(sleep_ms)
        end)
      end

    event.("spawned #{num_tasks}")
    completed = Task.await_many(tasks, :infinity)
    event.("done #{length(completed)}")
  end
end

{num_tasks, sleep} = Bench.args()
event = Bench.open_events()
event.("start #{num_tasks} #{sleep}")
Main.start(num_tasks, round(sleep * 1000), event)
