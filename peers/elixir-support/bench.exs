# What the Elixir programs share, apart from their tasks: the command line
# (`<TASKS> [--sleep <SECONDS>]`), the launch events for the meter (BENCH_EVENTS), and the one
# line and exit code of an error. run.sh loads it before each program's main.exs.
defmodule Bench do
  # One line naming what is wrong, and exit 2.
  def usage_error(message) do
    IO.puts(:stderr, "error: #{message}")
    System.halt(2)
  end

  # `<TASKS> [--sleep <SECONDS>]`, TASKS as 100000, 100_000, 100k or 1M.
  def parse_args(args, tasks \\ nil, sleep \\ 10.0)

  def parse_args(["--sleep"], _, _), do: usage_error("--sleep takes a number of seconds like 10 or 0.5")
  def parse_args(["--sleep", text | rest], tasks, _), do: parse_args(rest, tasks, parse_sleep(text))

  def parse_args([arg | rest], tasks, sleep) do
    cond do
      Regex.match?(~r/^-[^0-9]/, arg) ->
        usage_error("unexpected argument '#{arg}': see the usage: <TASKS> [--sleep <SECONDS>]")

      tasks != nil ->
        usage_error("unexpected argument '#{arg}': give one task count")

      true ->
        parse_args(rest, parse_tasks(arg), sleep)
    end
  end

  def parse_args([], nil, _), do: usage_error("missing task count: give a whole number like 100000, 100k or 1M")
  def parse_args([], tasks, sleep), do: {tasks, sleep}

  defp parse_sleep(text) do
    case Regex.match?(~r/^\s*[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?\s*$/, text) &&
           Float.parse(String.trim(text)) do
      {sleep, ""} -> sleep
      _ -> usage_error("invalid sleep '#{text}': expected a number of seconds >= 0 like 10 or 0.5")
    end
  end

  defp parse_tasks(text) do
    why = if String.starts_with?(text, "-"), do: "must not be negative; ", else: ""

    case Regex.run(~r/^([0-9]+)([kKM]?)$/, String.replace(text, "_", "")) do
      [_, digits, suffix] ->
        String.to_integer(digits) * Map.fetch!(%{"" => 1, "k" => 1000, "K" => 1000, "M" => 1_000_000}, suffix)

      nil ->
        usage_error("invalid task count '#{text}': #{why}expected a whole number like 100000, 100k or 1M")
    end
  end

  # How to tell the meter of the launch: a line each to the pipe named by BENCH_EVENTS.
  def open_events do
    case System.get_env("BENCH_EVENTS") do
      path when path in [nil, ""] ->
        fn _ -> :ok end

      path ->
        pipe = File.open!(path, [:append])
        fn line -> IO.write(pipe, line <> "\n") end
    end
  end
end
