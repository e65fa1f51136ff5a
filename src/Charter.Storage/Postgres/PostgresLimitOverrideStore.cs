// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Accounting;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Charter.Storage.Postgres;

/// <summary>Own limits of keys and teams in the gateway's PostgreSQL database (table <c>limit_overrides</c>, migration 4); the
/// same semantics as <see cref="Sqlite.SqliteLimitOverrideStore"/>. Every write bumps the change version in the same transaction.</summary>
public sealed class PostgresLimitOverrideStore : DatabaseLimitOverrideStore
{
    private readonly PostgresGatewayStore _store;
    private readonly TimeProvider _time;

    /// <summary>Creates the store over the gateway store's database; <paramref name="options"/> fills null columns.</summary>
    public PostgresLimitOverrideStore(PostgresGatewayStore store, IOptionsMonitor<LimitsOptions>? options = null, TimeProvider? time = null)
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
        await using var cmd = new NpgsqlCommand($"SELECT {Columns} FROM limit_overrides WHERE scope = $1 AND id = $2", c);
        PostgresGatewayStore.Add(cmd, ScopeName(scope), NpgsqlDbType.Text);
        PostgresGatewayStore.Add(cmd, id, NpgsqlDbType.Text);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(r) : null;
    }

    /// <inheritdoc/>
    public override async Task<IReadOnlyList<OwnLimits>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await _store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"SELECT {Columns} FROM limit_overrides ORDER BY scope, id COLLATE \"C\"", c);
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
        await using var tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var cmd = new NpgsqlCommand(
            $"""
            INSERT INTO limit_overrides({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (scope, id) DO UPDATE SET requests_per_minute = excluded.requests_per_minute,
                tokens_per_minute = excluded.tokens_per_minute, max_concurrent_requests = excluded.max_concurrent_requests,
                daily_budget_usd = excluded.daily_budget_usd, monthly_budget_usd = excluded.monthly_budget_usd, updated_at = excluded.updated_at
            """, c, tx))
        {
            PostgresGatewayStore.Add(cmd, ScopeName(limits.Scope), NpgsqlDbType.Text);
            PostgresGatewayStore.Add(cmd, limits.Id, NpgsqlDbType.Text);
            PostgresGatewayStore.Add(cmd, limits.RequestsPerMinute, NpgsqlDbType.Bigint);
            PostgresGatewayStore.Add(cmd, limits.TokensPerMinute, NpgsqlDbType.Bigint);
            PostgresGatewayStore.Add(cmd, limits.MaxConcurrentRequests, NpgsqlDbType.Integer);
            PostgresGatewayStore.Add(cmd, limits.DailyBudgetUsd, NpgsqlDbType.Numeric);
            PostgresGatewayStore.Add(cmd, limits.MonthlyBudgetUsd, NpgsqlDbType.Numeric);
            PostgresGatewayStore.Add(cmd, PostgresGatewayStore.Ts(_time.GetUtcNow()), NpgsqlDbType.TimestampTz);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await PostgresGatewayStore.BumpAsync(c, tx, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async Task<bool> DeleteAsync(LimitScope scope, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var c = await _store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        bool removed;
        await using (var cmd = new NpgsqlCommand("DELETE FROM limit_overrides WHERE scope = $1 AND id = $2", c, tx))
        {
            PostgresGatewayStore.Add(cmd, ScopeName(scope), NpgsqlDbType.Text);
            PostgresGatewayStore.Add(cmd, id, NpgsqlDbType.Text);
            removed = await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }

        if (removed)
        {
            await PostgresGatewayStore.BumpAsync(c, tx, cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return removed;
    }

    private static OwnLimits Read(NpgsqlDataReader r) => new(
        ParseScope(r.GetString(0)),
        r.GetString(1),
        r.IsDBNull(2) ? null : r.GetInt64(2),
        r.IsDBNull(3) ? null : r.GetInt64(3),
        r.IsDBNull(4) ? null : r.GetInt32(4),
        r.IsDBNull(5) ? null : r.GetDecimal(5),
        r.IsDBNull(6) ? null : r.GetDecimal(6),
        r.GetFieldValue<DateTimeOffset>(7));
}
