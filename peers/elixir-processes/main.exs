# The article's Elixir program with plain processes, as its readers proposed: one
# spawn_monitor per task, each sleeping, each awaited by its :DOWN message. Otherwise
# ../elixir/main.exs: the task count and the sleep come from the command line, the launch is
# reported to the meter (BENCH_EVENTS), and the tasks that completed are counted
# (../elixir-support, whose run.sh starts it).
defmodule Main do
  def start(num_tasks, sleep_ms, event) do
    tasks =
      for _ <- 1..num_tasks//1 do
        spawn_monitor(fn ->
          :timer.sleep(sleep_ms)
        end)
      end

    event.("spawned #{num_tasks}")

    completed =
      for {_pid, ref} <- tasks, reduce: 0 do
        count ->
          receive do
            {:DOWN, ^ref, _, _, :normal} -> count + 1
            {:DOWN, ^ref, _, _, _} -> count
          end
      end

    event.("done #{completed}")
  end
end

{num_tasks, sleep} = Bench.args()
event = Bench.open_events()
event.("start #{num_tasks} #{sleep}")
Main.start(num_tasks, round(sleep * 1000), event)
