// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Policy;
using Charter.Policy.Lifecycle;
using Npgsql;
using NpgsqlTypes;

namespace Charter.Storage.Postgres;

/// <summary>Lifecycles in the gateway's PostgreSQL database: the <c>state</c> and <c>lifecycle</c> (JSON) columns of <c>api_keys</c>,
/// <c>teams</c> and <c>accounts</c>, and the <c>lifecycle_history</c> table (the same layout as the SQLite lifecycle store).</summary>
/// <remarks>A save takes a transaction-scoped advisory lock on the entity, checks the stored version, writes the row and the
/// history entry and bumps the change version, all in one transaction, so two gateway instances never both win.</remarks>
public sealed class PostgresLifecycleStore : ILifecycleCatalog
{
    private static readonly EntityKind[] s_kinds = [EntityKind.Key, EntityKind.Team, EntityKind.Account];
    private readonly PostgresGatewayStore _store;

    /// <summary>Creates the store over the gateway store's database (call <see cref="PostgresGatewayStore.MigrateAsync"/> first).</summary>
    public PostgresLifecycleStore(PostgresGatewayStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <inheritdoc/>
    public async ValueTask<EntityLifecycle?> GetAsync(EntityKind kind, string id, CancellationToken cancellationToken = default)
    {
        await using var c = await _store.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadAsync(c, null, kind, id, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<bool> TrySaveAsync(EntityLifecycle lifecycle, LifecycleTransition transition, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        ArgumentNullException.ThrowIfNull(transition);
        await using var c = await _store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockCmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext($1))", c, tx))
        {
            PostgresGatewayStore.Add(lockCmd, "lifecycle:" + lifecycle.Kind.ToWireName() + ":" + lifecycle.Id, NpgsqlDbType.Text);
            await lockCmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var stored = await ReadAsync(c, tx, lifecycle.Kind, lifecycle.Id, cancellationToken).ConfigureAwait(false);
        if ((stored?.Version ?? 0) != expectedVersion)
        {
            return false;
        }

        await using (var cmd = new NpgsqlCommand(
            lifecycle.Kind == EntityKind.Account
                ? "INSERT INTO accounts(id, state, lifecycle) VALUES ($1, $2, $3) ON CONFLICT(id) DO UPDATE SET state = excluded.state, lifecycle = excluded.lifecycle"
                : $"UPDATE {LifecycleJson.Table(lifecycle.Kind)} SET state = $2, lifecycle = $3 WHERE id = $1",
            c,
            tx))
        {
            PostgresGatewayStore.Add(cmd, lifecycle.Id, NpgsqlDbType.Text);
            PostgresGatewayStore.Add(cmd, lifecycle.State.ToWireName(), NpgsqlDbType.Text);
            PostgresGatewayStore.Add(cmd, LifecycleJson.Serialize(lifecycle), NpgsqlDbType.Text);
            if (await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                // The key or team does not exist: nothing to save.
                return false;
            }
        }

        await using (var cmd = new NpgsqlCommand(
            """
            INSERT INTO lifecycle_history(entity_type, entity_id, at, event, from_state, to_state, actor, reason, detail)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """, c, tx))
        {
            PostgresGatewayStore.Add(cmd, transition.Kind.ToWireName(), NpgsqlDbType.Text);
            PostgresGatewayStore.Add(cmd, transition.EntityId, NpgsqlDbType.Text);
            PostgresGatewayStore.Add(cmd, PostgresGatewayStore.Ts(transition.At), NpgsqlDbType.TimestampTz);
            PostgresGatewayStore.Add(cmd, transition.Event.ToWireName(), NpgsqlDbType.Text);
            PostgresGatewayStore.Add(cmd, transition.From.ToWireName(), NpgsqlDbType.Text);
            PostgresGatewayStore.Add(cmd, transition.To.ToWireName(), NpgsqlDbType.Text);
            PostgresGatewayStore.Add(cmd, transition.Actor, NpgsqlDbType.Text);
            PostgresGatewayStore.Add(cmd, transition.Reason, NpgsqlDbType.Text);
            PostgresGatewayStore.Add(cmd, LifecycleJson.Serialize(transition), NpgsqlDbType.Text);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await PostgresGatewayStore.BumpAsync(c, tx, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<LifecycleTransition>> GetHistoryAsync(EntityKind kind, string id, CancellationToken cancellationToken = default)
    {
        await using var c = await _store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("SELECT detail FROM lifecycle_history WHERE entity_type = $1 AND entity_id = $2 ORDER BY seq", c);
        PostgresGatewayStore.Add(cmd, kind.ToWireName(), NpgsqlDbType.Text);
        PostgresGatewayStore.Add(cmd, id, NpgsqlDbType.Text);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await LifecycleRows.TransitionsAsync(r, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<EntityLifecycle>> ListSuspendedDueAsync(DateTimeOffset dueBy, CancellationToken cancellationToken = default)
    {
        return LifecycleRows.SuspendedDue(await ListAsync("WHERE state = 'suspended' AND lifecycle IS NOT NULL", cancellationToken).ConfigureAwait(false), dueBy);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<EntityLifecycle>> ListAllAsync(CancellationToken cancellationToken = default) =>
        await ListAsync("WHERE lifecycle IS NOT NULL", cancellationToken).ConfigureAwait(false);

    private static async Task<EntityLifecycle?> ReadAsync(NpgsqlConnection c, NpgsqlTransaction? tx, EntityKind kind, string id, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand($"SELECT state, lifecycle FROM {LifecycleJson.Table(kind)} WHERE id = $1", c, tx);
        PostgresGatewayStore.Add(cmd, id, NpgsqlDbType.Text);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return LifecycleRows.FromStateRow(r, kind, id);
    }

    private async Task<List<EntityLifecycle>> ListAsync(string where, CancellationToken cancellationToken)
    {
        var result = new List<EntityLifecycle>();
        await using var c = await _store.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var kind in s_kinds)
        {
            await using var cmd = new NpgsqlCommand($"SELECT lifecycle FROM {LifecycleJson.Table(kind)} {where}", c);
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await LifecycleRows.ReadLifecyclesAsync(r, result, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }
}
