// What the C# programs share, apart from their tasks: the command line
// (`<TASKS> [--sleep <SECONDS>]`), the launch events for the meter (BENCH_EVENTS), and the
// one line and exit code of an error. Compiled with each program's Program.cs. It reads its
// arguments character by character and counts with a loop (no Regex, no LINQ), so that it
// loads nothing the article's program does not.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;

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
                bool number = IsPlainNumber(args[i].Trim());
                if (!number || !double.TryParse(args[i], NumberStyles.Float, CultureInfo.InvariantCulture, out sleep)
                    || double.IsInfinity(sleep) || sleep > TimeSpan.MaxValue.TotalSeconds / 2)
                {
                    UsageError($"invalid sleep '{args[i]}': expected a number of seconds >= 0 like 10 or 0.5");
                }
            }
            else if (arg.Length > 1 && arg[0] == '-' && !IsDigit(arg[1]))
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

    static bool IsDigit(char c) => c >= '0' && c <= '9';

    // The index past the ASCII digits of text from at.
    static int DigitsFrom(string text, int at)
    {
        while (at < text.Length && IsDigit(text[at])) at++;
        return at;
    }

    // Digits, then an optional fraction and exponent: no sign, no NaN, no hexadecimal.
    static bool IsPlainNumber(string text)
    {
        int at = DigitsFrom(text, 0);
        if (at == 0) return false;
        if (at < text.Length && text[at] == '.') at = DigitsFrom(text, at + 1);
        if (at < text.Length && (text[at] == 'e' || text[at] == 'E'))
        {
            at++;
            if (at < text.Length && (text[at] == '+' || text[at] == '-')) at++;
            int exponent = at;
            at = DigitsFrom(text, at);
            if (at == exponent) return false;
        }
        return at == text.Length;
    }

    static int ParseTasks(string text)
    {
        string why = text.StartsWith("-") ? "must not be negative; " : "";
        string digits = text.Replace("_", "");
        long multiplier = 1;
        if (digits.EndsWith("k") || digits.EndsWith("K")) multiplier = 1000;
        if (digits.EndsWith("M")) multiplier = 1000000;
        if (multiplier > 1) digits = digits.Substring(0, digits.Length - 1);
        if (digits.Length > 0 && DigitsFrom(digits, 0) == digits.Length)
        {
            if (long.TryParse(digits, out long count) && count <= int.MaxValue / multiplier)
            {
                return (int)(count * multiplier);
            }
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

    // The tasks that ran to completion.
    public static int Completed(List<Task> tasks)
    {
        int completed = 0;
        foreach (Task task in tasks)
        {
            if (task.Status == TaskStatus.RanToCompletion) completed++;
        }
        return completed;
    }
}
