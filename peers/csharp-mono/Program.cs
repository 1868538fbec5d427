// The article's C# program: one Task.Run per task, each awaiting Task.Delay, all awaited with
// Task.WhenAll. Changed only as every implementation here is: the task count and the sleep
// come from the command line, the launch is reported to the meter (BENCH_EVENTS), and the
// tasks that completed are counted. Built by Mono here (csharp-mono) and by a .NET SDK where
// there is one (csharp-dotnet).
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

public static class Program
{
    // Mono's compiler has no async Main: it waits for the one the article wrote.
    public static void Main(string[] args) => MainAsync(args).GetAwaiter().GetResult();

    static async Task MainAsync(string[] args)
    {
        var (numTasks, sleep) = ParseArgs(args);
        var events = OpenEvents();
        events($"start {numTasks} {sleep.TotalSeconds.ToString(CultureInfo.InvariantCulture)}");

        List<Task> tasks = new List<Task>();
        for (int i = 0; i < numTasks; i++)
        {
            tasks.Add(Task.Run(async () => await Task.Delay(sleep)));
        }
        events($"spawned {numTasks}");

        await Task.WhenAll(tasks);
        events($"done {tasks.Count(task => task.Status == TaskStatus.RanToCompletion)}");
    }

    // One line naming what is wrong, and exit 2.
    static void UsageError(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        Environment.Exit(2);
    }

    // `<TASKS> [--sleep <SECONDS>]`, TASKS as 100000, 100_000, 100k or 1M.
    static (int, TimeSpan) ParseArgs(string[] args)
    {
        int? tasks = null;
        double sleep = 10;
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg == "--sleep")
            {
                if (++i >= args.Length) UsageError("--sleep takes a number of seconds like 10 or 0.5");
                bool number = Regex.IsMatch(args[i], @"^\s*[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?\s*$");
                if (!number || !double.TryParse(args[i], NumberStyles.Float, CultureInfo.InvariantCulture, out sleep)
                    || double.IsInfinity(sleep) || sleep > TimeSpan.MaxValue.TotalSeconds / 2)
                {
                    UsageError($"invalid sleep '{args[i]}': expected a number of seconds >= 0 like 10 or 0.5");
                }
            }
            else if (Regex.IsMatch(arg, "^-[^0-9]"))
            {
                UsageError($"unexpected argument '{arg}': see the usage: <TASKS> [--sleep <SECONDS>]");
            }
            else if (tasks != null)
            {
                UsageError($"unexpected argument '{arg}': give one task count");
            }
            else
            {
                tasks = ParseTasks(arg);
            }
        }
        if (tasks == null) UsageError("missing task count: give a whole number like 100000, 100k or 1M");
        return (tasks.Value, TimeSpan.FromTicks((long)Math.Round(sleep * TimeSpan.TicksPerSecond)));
    }

    static int ParseTasks(string text)
    {
        string why = text.StartsWith("-") ? "must not be negative; " : "";
        var match = Regex.Match(text.Replace("_", ""), "^([0-9]+)([kKM]?)$");
        if (match.Success && long.TryParse(match.Groups[1].Value, out long count))
        {
            long multiplier = match.Groups[2].Value == "" ? 1 : match.Groups[2].Value == "M" ? 1000000 : 1000;
            if (count * multiplier <= int.MaxValue) return (int)(count * multiplier);
            why = "too large; ";
        }
        UsageError($"invalid task count '{text}': {why}expected a whole number like 100000, 100k or 1M");
        return 0;
    }

    // How to tell the meter of the launch: a line each to the pipe named by BENCH_EVENTS.
    static Action<string> OpenEvents()
    {
        string path = Environment.GetEnvironmentVariable("BENCH_EVENTS");
        if (string.IsNullOrEmpty(path)) return line => { };
        var pipe = new StreamWriter(new FileStream(path, FileMode.Open, FileAccess.Write)) { AutoFlush = true };
        return line => pipe.WriteLine(line);
    }
}
