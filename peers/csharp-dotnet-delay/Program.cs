// The article's C# program without Task.Run, as the 2024 follow-up wrote it: each task is the
// Task.Delay itself, all awaited with Task.WhenAll. Otherwise ../csharp-dotnet/Program.cs: the
// task count and the sleep come from the command line, the launch is reported to the meter
// (BENCH_EVENTS), and the tasks that completed are counted (../csharp-support).
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading.Tasks;

public static class Program
{
    // mcs has no async Main: Main waits for the one the article wrote, as C#'s compiler makes it.
    public static void Main(string[] args) => MainAsync(args).GetAwaiter().GetResult();

    static async Task MainAsync(string[] args)
    {
        var (numTasks, sleep) = Bench.ParseArgs(args);
        var events = Bench.OpenEvents();
        events($"start {numTasks} {sleep.TotalSeconds.ToString(CultureInfo.InvariantCulture)}");

        List<Task> tasks = new List<Task>();
        for (int i = 0; i < numTasks; i++)
        {
            tasks.Add(Task.Delay(sleep));
        }
        events($"spawned {numTasks}");

        await Task.WhenAll(tasks);
        events($"done {Bench.Completed(tasks)}");
    }
}
