// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;
using Charter.Eval.Running;
using Spectre.Console;

namespace Charter.Eval.Terminal;

/// <summary>Live Spectre.Console progress, one bar per model: done/total, errors, running accuracy, ETA.</summary>
/// <remarks>The runner only bumps interlocked counters; this display polls them every 100 ms, so the workers
/// never wait on the terminal.</remarks>
public static class ProgressDisplay
{
    /// <summary>Shows progress until <paramref name="run"/> completes, then returns its result.</summary>
    public static async Task<T> ShowAsync<T>(IAnsiConsole console, RunProgress progress, Task<T> run)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(run);
        await Task.WhenAny(progress.Started, run).ConfigureAwait(false);
        if (!progress.Started.IsCompleted)
        {
            return await run.ConfigureAwait(false);
        }

        var models = progress.Models;
        var width = 0;
        foreach (var m in models)
        {
            width = Math.Max(width, m.Model.Length);
        }

        await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn(),
                new PercentageColumn(),
                new ElapsedTimeColumn(),
                new RemainingTimeColumn(),
                new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var tasks = new ProgressTask[models.Count];
                for (var i = 0; i < models.Count; i++)
                {
                    tasks[i] = ctx.AddTask(Describe(models[i], width), maxValue: Math.Max(1, models[i].Total));
                }

                while (true)
                {
                    var finished = run.IsCompleted;
                    for (var i = 0; i < models.Count; i++)
                    {
                        tasks[i].Value = models[i].Done;
                        tasks[i].Description = Describe(models[i], width);
                        if (finished)
                        {
                            tasks[i].StopTask();
                        }
                    }

                    if (finished)
                    {
                        break;
                    }

                    await Task.WhenAny(run, Task.Delay(100)).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
        return await run.ConfigureAwait(false);
    }

    private static string Describe(ModelProgress m, int width)
    {
        var errors = m.Errors > 0 ? $"[red]{m.Errors,4} err[/]" : "[grey]   0 err[/]";
        var acc = m.Done == 0 ? "    —" : (m.RunningAccuracy * 100).ToString("0.0", CultureInfo.InvariantCulture).PadLeft(5) + "%";
        var cached = m.Cached > 0 ? $" [grey]({m.Cached} cached)[/]" : string.Empty;
        return $"[bold]{Markup.Escape(m.Model.PadRight(width))}[/] {m.Done,5}/{m.Total,-5} {errors}  acc [green]{acc}[/]{cached}";
    }
}
