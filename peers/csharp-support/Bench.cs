// What the C# programs share, apart from their tasks: the command line
// (`<TASKS> [--sleep <SECONDS>]`), the launch events for the meter (BENCH_EVENTS), and the
// one line and exit code of an error. Compiled with each program's Program.cs.
using System;
using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;

public static class Bench
{
    // One line naming what is wrong, and exit 2.
    public static void UsageError(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        Environment.Exit(2);
    }

    // `<TASKS> [--sleep <SECONDS>]`, TASKS as 100000, 100_000, 100k or 1M.
    public static (int, TimeSpan) ParseArgs(string[] args)
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
    public static Action<string> OpenEvents()
    {
        string path = Environment.GetEnvironmentVariable("BENCH_EVENTS");
        if (string.IsNullOrEmpty(path)) return line => { };
        var pipe = new StreamWriter(new FileStream(path, FileMode.Open, FileAccess.Write)) { AutoFlush = true };
        return line => pipe.WriteLine(line);
    }
}
