// The article's C# program as printed, for the fidelity runs (scripts/bench.sh --fidelity):
// only the task count and the sleep (seconds, default 10) come from the command line, and,
// since Mono's compiler (mcs) has no top-level statements or async Main, Main waits for them,
// as C#'s compiler makes an async Main do.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading.Tasks;

public static class Program
{
    public static void Main(string[] args) => MainAsync(args).GetAwaiter().GetResult();

    static async Task MainAsync(string[] args)
    {
        int numTasks = int.Parse(args[0]);
        TimeSpan sleep = TimeSpan.FromSeconds(
            args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 10);

        List<Task> tasks = new List<Task>();
        for (int i = 0; i < numTasks; i++)
        {
            Task task = Task.Run(async () =>
            {
                await Task.Delay(sleep);
            });
            tasks.Add(task);
        }

        await Task.WhenAll(tasks);
    }
}
