# What the Elixir programs share, apart from their tasks: the command line
# (`<TASKS> [--sleep <SECONDS>]`), the launch events for the meter (BENCH_EVENTS), and the one
# line and exit code of an error. run.sh loads it before each program's main.exs. It reads its
# arguments with String's functions, not Regex, so that it loads nothing the article's program
# does not.
defmodule Bench do
  # One line naming what is wrong, and exit 2.
  def usage_error(message) do
    IO.puts(:stderr, "error: #{message}")
    System.halt(2)
  end

  # The process that spawns the tasks holds nothing of the harness but a pid: the command line
  # is read, and the events' pipe named, opened and written, in processes of their own. At
  # 100,000 tasks the VM's peak falls in one of two modes, about 450 or 476 MiB, and a few
  # words more live in the spawning process choose the upper one: with the reading and the
  # pipe's path in it, ours read 465-482 MiB against the article's program's 445-449 (the path
  # alone decided it: /tmp/evfifo 454, /tmp/meter-events-XXXXXX/events 478); without, 457-458.

  # `<TASKS> [--sleep <SECONDS>]`, read in a process of its own (linked: a crash in it ends the
  # program, as it would in the caller).
  def args do
    parent = self()
    spawn_link(fn -> send(parent, {:bench_args, parse_args(System.argv())}) end)

    receive do
      {:bench_args, args} -> args
    end
  end

  # `<TASKS> [--sleep <SECONDS>]`, TASKS as 100000, 100_000, 100k or 1M.
  def parse_args(args, tasks \\ nil, sleep \\ 10.0)

  def parse_args(["--sleep"], _, _), do: usage_error("--sleep takes a number of seconds like 10 or 0.5")
  def parse_args(["--sleep", text | rest], tasks, _), do: parse_args(rest, tasks, parse_sleep(text))

  def parse_args([arg | rest], tasks, sleep) do
    cond do
      String.starts_with?(arg, "-") and not digit?(String.at(arg, 1)) and arg != "-" ->
        usage_error("unexpected argument '#{arg}': see the usage: <TASKS> [--sleep <SECONDS>]")

      tasks != nil ->
        usage_error("unexpected argument '#{arg}': give one task count")

      true ->
        parse_args(rest, parse_tasks(arg), sleep)
    end
  end

  def parse_args([], nil, _), do: usage_error("missing task count: give a whole number like 100000, 100k or 1M")
  def parse_args([], tasks, sleep), do: {tasks, sleep}

  defp digit?(char), do: char != nil and char >= "0" and char <= "9"

  # Digits, then an optional fraction and exponent: no sign, no NaN, no hexadecimal.
  defp plain_number?(text) do
    {digits, rest} = String.split_at(text, count_digits(text))
    rest = if String.starts_with?(rest, "."), do: skip_digits(String.slice(rest, 1..-1//1)), else: rest

    rest =
      case rest do
        <<e, sign, more::binary>> when e in [?e, ?E] and sign in [?+, ?-] -> exponent(more)
        <<e, more::binary>> when e in [?e, ?E] -> exponent(more)
        _ -> rest
      end

    digits != "" and rest == ""
  end

  defp exponent(text), do: if(count_digits(text) > 0, do: skip_digits(text), else: "no exponent")
  defp skip_digits(text), do: String.slice(text, count_digits(text)..-1//1)
  defp count_digits(text), do: text |> String.graphemes() |> Enum.take_while(&digit?/1) |> length()

  defp parse_sleep(text) do
    case plain_number?(String.trim(text)) && Float.parse(String.trim(text)) do
      {sleep, ""} -> sleep
      _ -> usage_error("invalid sleep '#{text}': expected a number of seconds >= 0 like 10 or 0.5")
    end
  end

  defp parse_tasks(text) do
    why = if String.starts_with?(text, "-"), do: "must not be negative; ", else: ""
    count = String.replace(text, "_", "")

    {digits, multiplier} =
      case String.last(count) do
        suffix when suffix in ["k", "K"] -> {String.slice(count, 0..-2//1), 1000}
        "M" -> {String.slice(count, 0..-2//1), 1_000_000}
        _ -> {count, 1}
      end

    if digits != "" and count_digits(digits) == String.length(digits) do
      String.to_integer(digits) * multiplier
    else
      usage_error("invalid task count '#{text}': #{why}expected a whole number like 100000, 100k or 1M")
    end
  end

  # How to tell the meter of the launch: a line each to the pipe named by BENCH_EVENTS, which a
  # process of its own reads from the environment, opens and writes; each call waits until its
  # line is written. The pipe is opened before the caller goes on, and the process is linked,
  # so that a pipe that cannot be opened ends the program with its error, not in a wait.
  def open_events do
    parent = self()

    writer =
      spawn_link(fn ->
        case System.get_env("BENCH_EVENTS") do
          path when path in [nil, ""] ->
            send(parent, {:bench_events, false})

          path ->
            pipe = File.open!(path, [:append])
            send(parent, {:bench_events, true})
            write_events(pipe)
        end
      end)

    receive do
      {:bench_events, false} ->
        fn _ -> :ok end

      {:bench_events, true} ->
        fn line ->
          send(writer, {:event, self(), line})

          receive do
            :written -> :ok
          end
        end
    end
  end

  defp write_events(pipe) do
    receive do
      {:event, from, line} ->
        IO.write(pipe, line <> "\n")
        send(from, :written)
        write_events(pipe)
    end
  end
end
