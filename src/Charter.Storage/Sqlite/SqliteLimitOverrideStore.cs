// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;
using Charter.Accounting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Charter.Storage.Sqlite;

/// <summary>Own limits of keys and teams in the gateway's SQLite file (table <c>limit_overrides</c>, migration 2). Every write
/// bumps the change version in the same transaction.</summary>
public sealed class SqliteLimitOverrideStore : DatabaseLimitOverrideStore
{
    private readonly SqliteGatewayStore _store;
    private readonly TimeProvider _time;

    /// <summary>Creates the store over the gateway store's database; <paramref name="options"/> fills null columns.</summary>
    public SqliteLimitOverrideStore(SqliteGatewayStore store, IOptionsMonitor<LimitsOptions>? options = null, TimeProvider? time = null)
        : base(options)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public override async Task<OwnLimits?> GetAsync(LimitScope scope, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var c = await _store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT {Columns} FROM limit_overrides WHERE scope = $scope AND id = $id";
        cmd.Parameters.AddWithValue("$scope", ScopeName(scope));
        cmd.Parameters.AddWithValue("$id", id);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(r) : null;
    }

    /// <inheritdoc/>
    public override async Task<IReadOnlyList<OwnLimits>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await _store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT {Columns} FROM limit_overrides ORDER BY scope, id";
        var list = new List<OwnLimits>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(Read(r));
        }

        return list;
    }

    /// <inheritdoc/>
    public override async Task PutAsync(OwnLimits limits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(limits);
        await using var c = await _store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = c.BeginTransaction(deferred: false);
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"""
            INSERT INTO limit_overrides({Columns}) VALUES ($scope, $id, $rpm, $tpm, $conc, $daily, $monthly, $at)
            ON CONFLICT(scope, id) DO UPDATE SET requests_per_minute = excluded.requests_per_minute,
                tokens_per_minute = excluded.tokens_per_minute, max_concurrent_requests = excluded.max_concurrent_requests,
                daily_budget_usd = excluded.daily_budget_usd, monthly_budget_usd = excluded.monthly_budget_usd, updated_at = excluded.updated_at;
            UPDATE changes SET version = version + 1;
            """;
        cmd.Parameters.AddWithValue("$scope", ScopeName(limits.Scope));
        cmd.Parameters.AddWithValue("$id", limits.Id);
        cmd.Parameters.AddWithValue("$rpm", (object?)limits.RequestsPerMinute ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$tpm", (object?)limits.TokensPerMinute ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$conc", (object?)limits.MaxConcurrentRequests ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$daily", (object?)limits.DailyBudgetUsd?.ToString(CultureInfo.InvariantCulture) ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$monthly", (object?)limits.MonthlyBudgetUsd?.ToString(CultureInfo.InvariantCulture) ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$at", SqliteGatewayStore.Ts(_time.GetUtcNow()));
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async Task<bool> DeleteAsync(LimitScope scope, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var c = await _store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = c.BeginTransaction(deferred: false);
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "DELETE FROM limit_overrides WHERE scope = $scope AND id = $id";
        cmd.Parameters.AddWithValue("$scope", ScopeName(scope));
        cmd.Parameters.AddWithValue("$id", id);
        var removed = await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        if (removed)
        {
            await using var bump = c.CreateCommand();
            bump.Transaction = tx;
            bump.CommandText = "UPDATE changes SET version = version + 1";
            await bump.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return removed;
    }

    private static OwnLimits Read(SqliteDataReader r) => new(
        ParseScope(r.GetString(0)),
        r.GetString(1),
        r.IsDBNull(2) ? null : r.GetInt64(2),
        r.IsDBNull(3) ? null : r.GetInt64(3),
        r.IsDBNull(4) ? null : r.GetInt32(4),
        r.IsDBNull(5) ? null : decimal.Parse(r.GetString(5), NumberStyles.Number, CultureInfo.InvariantCulture),
        r.IsDBNull(6) ? null : decimal.Parse(r.GetString(6), NumberStyles.Number, CultureInfo.InvariantCulture),
        SqliteGatewayStore.ParseTs(r.GetString(7)));
}
