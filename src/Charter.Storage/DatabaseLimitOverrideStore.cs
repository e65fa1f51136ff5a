// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Data.Common;
using Charter.Accounting;
using Microsoft.Extensions.Options;

namespace Charter.Storage;

/// <summary>Own limits of keys and teams in the gateway database (table <c>limit_overrides</c>): the source of truth that
/// <see cref="SubjectLimits"/> caches. A null column follows the configured defaults of its scope.</summary>
public abstract class DatabaseLimitOverrideStore : ILimitOverrideStore, IOwnLimitsStore
{
    /// <summary>The columns both back-ends select, in the order <c>Read</c> expects them.</summary>
    protected const string Columns = "scope, id, requests_per_minute, tokens_per_minute, max_concurrent_requests, daily_budget_usd, monthly_budget_usd, updated_at";

    private readonly IOptionsMonitor<LimitsOptions>? _options;

    /// <summary>Creates the store; <paramref name="options"/> gives the defaults that fill null columns (none: 0, no limit).</summary>
    protected DatabaseLimitOverrideStore(IOptionsMonitor<LimitsOptions>? options) => _options = options;

    /// <inheritdoc/>
    public abstract Task<OwnLimits?> GetAsync(LimitScope scope, string id, CancellationToken cancellationToken = default);

    /// <inheritdoc/>
    public abstract Task<IReadOnlyList<OwnLimits>> ListAsync(CancellationToken cancellationToken = default);

    /// <inheritdoc/>
    public abstract Task PutAsync(OwnLimits limits, CancellationToken cancellationToken = default);

    /// <inheritdoc/>
    public abstract Task<bool> DeleteAsync(LimitScope scope, string id, CancellationToken cancellationToken = default);

    /// <inheritdoc/>
    public async ValueTask<bool> SaveAsync(LimitScope scope, string id, LimitSet? limits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        try
        {
            if (limits is null)
            {
                await DeleteAsync(scope, id, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await PutAsync(OwnLimits.From(scope, id, limits), cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (Exception ex) when (ex is DbException or TimeoutException)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public async ValueTask<LimitSet?> LoadAsync(LimitScope scope, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var row = await GetAsync(scope, id, cancellationToken).ConfigureAwait(false);
        return row?.Resolve(Defaults(scope));
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<(LimitScope Scope, string Id, LimitSet Limits)>> LoadAllAsync(CancellationToken cancellationToken = default)
    {
        var rows = await ListAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<(LimitScope, string, LimitSet)>(rows.Count);
        foreach (var row in rows)
        {
            list.Add((row.Scope, row.Id, row.Resolve(Defaults(row.Scope))));
        }

        return list;
    }

    /// <summary>The wire name of a scope in the <c>scope</c> column.</summary>
    protected static string ScopeName(LimitScope scope) => scope == LimitScope.Team ? "team" : "key";

    /// <summary>The scope of a <c>scope</c> column value.</summary>
    protected static LimitScope ParseScope(string value) => value == "team" ? LimitScope.Team : LimitScope.Key;

    private LimitSet Defaults(LimitScope scope) => _options is null
        ? LimitSet.Unlimited
        : scope == LimitScope.Team ? _options.CurrentValue.TeamDefaults : _options.CurrentValue.KeyDefaults;
}
