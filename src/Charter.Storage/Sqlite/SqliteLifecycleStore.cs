// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Policy;
using Charter.Policy.Lifecycle;
using Microsoft.Data.Sqlite;

namespace Charter.Storage.Sqlite;

/// <summary>Lifecycles in the gateway's SQLite file: the <c>lifecycle</c> JSON and <c>state</c> columns of <c>api_keys</c>,
/// <c>teams</c> and <c>accounts</c>, and the <c>lifecycle_history</c> table. A save writes both and the history row, and bumps the
/// change version, in one transaction (so every gateway instance reloads its cache within a second).</summary>
public sealed class SqliteLifecycleStore : ILifecycleCatalog
{
    private static readonly EntityKind[] s_kinds = [EntityKind.Key, EntityKind.Team, EntityKind.Account];
    private readonly SqliteGatewayStore _store;

    /// <summary>Creates the store over the gateway store's database.</summary>
    public SqliteLifecycleStore(SqliteGatewayStore store)
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
        await using var tx = c.BeginTransaction(deferred: false);
        var stored = await ReadAsync(c, tx, lifecycle.Kind, lifecycle.Id, cancellationToken).ConfigureAwait(false);
        if ((stored?.Version ?? 0) != expectedVersion)
        {
            return false;
        }

        var table = LifecycleJson.Table(lifecycle.Kind);
        await using (var cmd = c.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = lifecycle.Kind == EntityKind.Account
                ? "INSERT INTO accounts(id, state, lifecycle) VALUES ($id, $state, $lc) ON CONFLICT(id) DO UPDATE SET state = excluded.state, lifecycle = excluded.lifecycle"
                : $"UPDATE {table} SET state = $state, lifecycle = $lc WHERE id = $id";
            cmd.Parameters.AddWithValue("$id", lifecycle.Id);
            cmd.Parameters.AddWithValue("$state", lifecycle.State.ToWireName());
            cmd.Parameters.AddWithValue("$lc", LifecycleJson.Serialize(lifecycle));
            if (await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                // The key or team does not exist: nothing to save.
                return false;
            }
        }

        await using (var cmd = c.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = """
                INSERT INTO lifecycle_history(entity_type, entity_id, at, event, from_state, to_state, actor, reason, detail)
                VALUES ($t, $id, $at, $ev, $from, $to, $actor, $reason, $detail);
                UPDATE changes SET version = version + 1;
                """;
            cmd.Parameters.AddWithValue("$t", transition.Kind.ToWireName());
            cmd.Parameters.AddWithValue("$id", transition.EntityId);
            cmd.Parameters.AddWithValue("$at", SqliteGatewayStore.Ts(transition.At));
            cmd.Parameters.AddWithValue("$ev", transition.Event.ToWireName());
            cmd.Parameters.AddWithValue("$from", transition.From.ToWireName());
            cmd.Parameters.AddWithValue("$to", transition.To.ToWireName());
            cmd.Parameters.AddWithValue("$actor", transition.Actor);
            cmd.Parameters.AddWithValue("$reason", (object?)transition.Reason ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$detail", LifecycleJson.Serialize(transition));
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<LifecycleTransition>> GetHistoryAsync(EntityKind kind, string id, CancellationToken cancellationToken = default)
    {
        await using var c = await _store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT detail FROM lifecycle_history WHERE entity_type = $t AND entity_id = $id ORDER BY seq";
        cmd.Parameters.AddWithValue("$t", kind.ToWireName());
        cmd.Parameters.AddWithValue("$id", id);
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

    private async Task<List<EntityLifecycle>> ListAsync(string where, CancellationToken cancellationToken)
    {
        var result = new List<EntityLifecycle>();
        await using var c = await _store.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var kind in s_kinds)
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = $"SELECT lifecycle FROM {LifecycleJson.Table(kind)} {where}";
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await LifecycleRows.ReadLifecyclesAsync(r, result, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    private static async Task<EntityLifecycle?> ReadAsync(SqliteConnection c, SqliteTransaction? tx, EntityKind kind, string id, CancellationToken cancellationToken)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"SELECT state, lifecycle FROM {LifecycleJson.Table(kind)} WHERE id = $id";
        cmd.Parameters.AddWithValue("$id", id);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return LifecycleRows.FromStateRow(r, kind, id);
    }
}
