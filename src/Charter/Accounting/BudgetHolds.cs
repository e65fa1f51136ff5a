// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Collections.Concurrent;
using System.Globalization;
using Charter.Policy;
using Charter.Policy.Lifecycle;
using Microsoft.Extensions.Logging;

namespace Charter.Accounting;

/// <summary>The <c>budget</c> lifecycle hold: placed on a key or team when its daily or monthly budget is spent, cleared when
/// every budget allows spending again (a new day or month, or an admin raised the budget).</summary>
/// <remarks>
/// <para>Placing and clearing go through <see cref="LifecycleCoordinator"/>, so they are stored with history, journaled,
/// cached and announced to other instances like every other transition. The request path only reads the lifecycle cache
/// (<see cref="TryGetHold"/>) and starts a placement in the background (<see cref="OnRefused"/>): it never waits for one.</para>
/// <para>A placement is started once per key or team: not while the cache already shows the hold, and not while one is in
/// flight. A refusal while one is in flight makes it check once more when it ends, so that a hold an admin cleared meanwhile
/// (while the budget is still spent) is placed again.</para>
/// </remarks>
public sealed partial class BudgetHolds
{
    /// <summary>The actor recorded on transitions made by the gateway itself.</summary>
    public const string SystemActor = "system:budget";

    // The states of a placement in flight (_placing): running, or running and a request was refused again meanwhile with the
    // cache not showing the hold.
    private const byte Placing = 0;
    private const byte RefusedAgain = 1;

    private readonly LifecycleCache _cache;
    private readonly LifecycleCoordinator _lifecycle;
    private readonly SubjectLimits _limits;
    private readonly ILimitStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<(EntityKind, string), byte> _placing = new();

    /// <summary>Creates the service.</summary>
    public BudgetHolds(LifecycleCache cache, LifecycleCoordinator lifecycle, SubjectLimits limits, ILimitStore store, TimeProvider time, ILogger<BudgetHolds> logger)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(lifecycle);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _cache = cache;
        _lifecycle = lifecycle;
        _limits = limits;
        _store = store;
        _time = time;
        _logger = logger;
    }

    /// <summary>True when the key or its team has the budget hold (the key is checked first); reads the in-memory cache only.</summary>
    public bool TryGetHold(string keyId, string? teamId, out LimitScope scope)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        if (IsHeld(EntityKind.Key, keyId))
        {
            scope = LimitScope.Key;
            return true;
        }

        scope = LimitScope.Team;
        return teamId is not null && IsHeld(EntityKind.Team, teamId);
    }

    /// <summary>Seconds until the earliest budget period of the key or team ends (the day when it has a daily budget, else the month).</summary>
    public int RetryAfterSeconds(LimitScope scope, string id)
    {
        var now = _time.GetUtcNow();
        var wait = _limits.For(scope, id).DailyBudgetNanoUsd > 0 ? BudgetPeriods.UntilDayEnd(now.ToUnixTimeMilliseconds()) : BudgetPeriods.UntilMonthEnd(now);
        return (int)Math.Clamp(Math.Ceiling(wait.TotalSeconds), 1, int.MaxValue);
    }

    /// <summary>A request was refused because <paramref name="limit"/> of the key or team is spent: places the budget hold in the
    /// background unless it is already on or being placed.</summary>
    /// <returns>The background placement (for tests), or null when none was started.</returns>
    public Task? OnRefused(LimitKind limit, LimitScope scope, string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var kind = ToKind(scope);
        var key = (kind, id);
        while (true)
        {
            if (IsHeld(kind, id))
            {
                return null;
            }

            if (_placing.TryAdd(key, Placing))
            {
                return Task.Run(() => PlaceAsync(kind, scope, id, limit));
            }

            // A placement is in flight. It may have read the lifecycle before an admin cleared the hold (and then fail, or place
            // a hold the clear removes): noted, so that it checks again once it is done. When it ended meanwhile, looked at afresh.
            if (_placing.TryUpdate(key, RefusedAgain, Placing) || (_placing.TryGetValue(key, out var state) && state == RefusedAgain))
            {
                return null;
            }
        }
    }

    /// <summary>Clears the budget hold of a key or team when every budget it has allows spending again (after a period reset or an
    /// admin raised the budget); leaves it when a budget is still spent.</summary>
    /// <param name="kind">Key or team.</param>
    /// <param name="id">The key or team id.</param>
    /// <param name="actor">Recorded as the actor of the clear transition.</param>
    /// <param name="cancellationToken">Cancels the store reads.</param>
    public async Task<BudgetHoldReview> ReviewAsync(EntityKind kind, string id, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (kind is not (EntityKind.Key or EntityKind.Team))
        {
            return BudgetHoldReview.NotHeld;
        }

        var lc = await _lifecycle.GetAsync(kind, id, cancellationToken).ConfigureAwait(false);
        if ((lc.Holds & LifecycleHolds.Budget) == 0 || lc.IsTerminal)
        {
            return BudgetHoldReview.NotHeld;
        }

        var scope = kind == EntityKind.Team ? LimitScope.Team : LimitScope.Key;
        var limits = _limits.For(scope, id);
        long day, month;
        if (_store is not IBudgetSpendReader reader)
        {
            return BudgetHoldReview.Unknown;
        }

        try
        {
            (day, month) = await reader.GetSpendAsync(scope, id).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.SpendUnavailable(_logger, kind.ToWireName(), id, ex);
            return BudgetHoldReview.Unknown;
        }

        if (IsSpent(limits, day, month))
        {
            return BudgetHoldReview.StillSpent;
        }

        var reason = string.Create(CultureInfo.InvariantCulture,
            $"spend is within the budget again (today {Money.ToUsd(day)} of {Describe(limits.DailyBudgetUsd)}, this month {Money.ToUsd(month)} of {Describe(limits.MonthlyBudgetUsd)})");
        var result = await _lifecycle.ApplyAsync(kind, id, LifecycleCommand.ClearHold(actor, LifecycleHolds.Budget, reason), cancellationToken).ConfigureAwait(false);
        if (result.Succeeded)
        {
            Log.Cleared(_logger, kind.ToWireName(), id, actor);
            return BudgetHoldReview.Cleared;
        }

        if (result.Error.Code == "hold_not_placed")
        {
            return BudgetHoldReview.NotHeld;
        }

        Log.ClearFailed(_logger, kind.ToWireName(), id, result.Error.Message);
        return BudgetHoldReview.Unknown;
    }

    /// <summary>Reviews every key and team the lifecycle cache shows with the budget hold; returns how many holds were cleared.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var cleared = 0;
        foreach (var lc in _cache.WithHold(LifecycleHolds.Budget))
        {
            if (await ReviewAsync(lc.Kind, lc.Id, SystemActor, cancellationToken).ConfigureAwait(false) == BudgetHoldReview.Cleared)
            {
                cleared++;
            }
        }

        return cleared;
    }

    /// <summary>True when a budget of <paramref name="limits"/> is spent by the given day and month spend (nano-dollars).</summary>
    public static bool IsSpent(LimitSet limits, long daySpentNanoUsd, long monthSpentNanoUsd)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return (limits.DailyBudgetNanoUsd > 0 && daySpentNanoUsd >= limits.DailyBudgetNanoUsd)
            || (limits.MonthlyBudgetNanoUsd > 0 && monthSpentNanoUsd >= limits.MonthlyBudgetNanoUsd);
    }

    private async Task PlaceAsync(EntityKind kind, LimitScope scope, string id, LimitKind limit)
    {
        var key = (kind, id);
        while (true)
        {
            if (!IsHeld(kind, id))
            {
                await PlaceOnceAsync(kind, scope, id, limit).ConfigureAwait(false);
            }

            if (_placing.TryRemove(new KeyValuePair<(EntityKind, string), byte>(key, Placing)))
            {
                return;
            }

            // Refused again while this placement ran: once more, unless the hold is on by now.
            _placing.TryUpdate(key, Placing, RefusedAgain);
        }
    }

    private async Task PlaceOnceAsync(EntityKind kind, LimitScope scope, string id, LimitKind limit)
    {
        try
        {
            var now = _time.GetUtcNow();
            var limits = _limits.For(scope, id);
            var (name, amount, end) = limit == LimitKind.MonthlyBudget
                ? ("monthly", limits.MonthlyBudgetUsd, now + BudgetPeriods.UntilMonthEnd(now))
                : ("daily", limits.DailyBudgetUsd, now + BudgetPeriods.UntilDayEnd(now.ToUnixTimeMilliseconds()));
            var reason = string.Create(CultureInfo.InvariantCulture,
                $"the {name} budget of {amount} USD is spent; held until the period ends at {end:yyyy-MM-ddTHH:mm:ssZ} or an admin raises the budget");
            var result = await _lifecycle.ApplyAsync(kind, id, LifecycleCommand.PlaceHold(SystemActor, LifecycleHolds.Budget, reason)).ConfigureAwait(false);
            if (result.Succeeded)
            {
                Log.Placed(_logger, kind.ToWireName(), id, name);
            }
            else if (result.Error.Code != "hold_already_placed")
            {
                Log.PlaceFailed(_logger, kind.ToWireName(), id, result.Error.Message, null);
            }
        }
#pragma warning disable CA1031 // background work must not crash the process; the next refused request retries
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.PlaceFailed(_logger, kind.ToWireName(), id, "exception", ex);
        }
    }

    private bool IsHeld(EntityKind kind, string id) => _cache.Get(kind, id) is { } lc && (lc.Holds & LifecycleHolds.Budget) != 0;

    private static EntityKind ToKind(LimitScope scope) => scope == LimitScope.Team ? EntityKind.Team : EntityKind.Key;

    private static string Describe(decimal budgetUsd) => budgetUsd > 0 ? budgetUsd.ToString(CultureInfo.InvariantCulture) + " USD" : "no limit";

    private static partial class Log
    {
        [LoggerMessage(EventId = 6010, Level = LogLevel.Warning, Message = "The {Budget} budget of {Kind} {Id} is spent; placing the budget hold.")]
        public static partial void Placed(ILogger logger, string kind, string id, string budget);

        [LoggerMessage(EventId = 6011, Level = LogLevel.Error, Message = "Could not place the budget hold on {Kind} {Id}: {Message}")]
        public static partial void PlaceFailed(ILogger logger, string kind, string id, string message, Exception? ex);

        [LoggerMessage(EventId = 6012, Level = LogLevel.Information, Message = "Cleared the budget hold of {Kind} {Id} (by {Actor}): its budgets allow spending again.")]
        public static partial void Cleared(ILogger logger, string kind, string id, string actor);

        [LoggerMessage(EventId = 6013, Level = LogLevel.Error, Message = "Could not clear the budget hold of {Kind} {Id}: {Message}")]
        public static partial void ClearFailed(ILogger logger, string kind, string id, string message);

        [LoggerMessage(EventId = 6014, Level = LogLevel.Warning, Message = "Could not read the spend of {Kind} {Id}; its budget hold stays until the next sweep.")]
        public static partial void SpendUnavailable(ILogger logger, string kind, string id, Exception ex);
    }
}
