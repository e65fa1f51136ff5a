// Copyright (c) Charter contributors. Licensed under the MIT License.

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Charter.Accounting;

/// <summary>Every <see cref="LimitsOptions.BudgetSweepSeconds"/> (on the injected <see cref="TimeProvider"/>), clears the budget
/// hold of keys and teams whose budgets allow spending again (<see cref="BudgetHolds.SweepAsync"/>).</summary>
/// <remarks>Every instance sweeps; when two clear the same hold, the second finds it gone and does nothing.</remarks>
public sealed partial class BudgetSweepService(BudgetHolds holds, IOptions<LimitsOptions> options, TimeProvider time, ILogger<BudgetSweepService> logger)
    : BackgroundService
{
    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, options.Value.BudgetSweepSeconds)), time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            await SweepAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs one sweep now; returns the number of holds cleared.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await holds.SweepAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.SweepFailed(logger, ex);
            return 0;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6015, Level = LogLevel.Error, Message = "Budget-hold sweep failed; retrying at the next tick.")]
        public static partial void SweepFailed(ILogger logger, Exception ex);
    }
}
