// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Audit.Merkle;
using Npgsql;
using NpgsqlTypes;

namespace Charter.Audit.Storage;

/// <summary>The shared queue and the sequencer election (<see cref="IAuditQueueStore"/>).</summary>
public sealed partial class PostgresAuditStore
{
    /// <summary>Session advisory lock held by the elected sequencer ("charter-audit-seq"); distinct from the append lock.</summary>
    private const long SequencerLockKey = 0x4348_4155_4449_5402;

    /// <inheritdoc/>
    public Task<(long Segment, long Offset)?> GetProducerPositionAsync(string producer, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(producer);
        return PostgresRetry.RunAsync<(long, long)?>(
            _dataSource,
            async (c, ct) =>
            {
                await using var cmd = new NpgsqlCommand("SELECT segment, \"offset\" FROM audit_producers WHERE producer = $1", c);
                cmd.Parameters.Add(new NpgsqlParameter { Value = producer });
                await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
                return await r.ReadAsync(ct).ConfigureAwait(false) ? (r.GetInt64(0), r.GetInt64(1)) : null;
            },
            cancellationToken);
    }

    /// <inheritdoc/>
    public Task EnqueueAsync(string producer, IReadOnlyList<byte[]> leaves, long segment, long offset, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(producer);
        ArgumentNullException.ThrowIfNull(leaves);
        return PostgresRetry.RunAsync(_dataSource, (c, ct) => EnqueueOnceAsync(c, producer, leaves, segment, offset, ct), cancellationToken);
    }

    private static async Task EnqueueOnceAsync(NpgsqlConnection connection, string producer, IReadOnlyList<byte[]> leaves, long segment, long offset, CancellationToken cancellationToken)
    {
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // The producer's row is locked for the transaction: a repeated batch (a retry whose first commit did reach the
        // server) sees the position already there and adds nothing.
        await using (var upsert = new NpgsqlCommand("INSERT INTO audit_producers(producer, segment, \"offset\") VALUES ($1, 0, 0) ON CONFLICT (producer) DO NOTHING", connection, tx))
        {
            upsert.Parameters.Add(new NpgsqlParameter { Value = producer });
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var select = new NpgsqlCommand("SELECT segment, \"offset\" FROM audit_producers WHERE producer = $1 FOR UPDATE", connection, tx))
        {
            select.Parameters.Add(new NpgsqlParameter { Value = producer });
            await using var r = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await r.ReadAsync(cancellationToken).ConfigureAwait(false);
            var (s, o) = (r.GetInt64(0), r.GetInt64(1));
            if (s > segment || (s == segment && o >= offset))
            {
                return;
            }
        }

        if (leaves.Count > 0)
        {
            await using var writer = await connection.BeginBinaryImportAsync("COPY audit_queue (data) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < leaves.Count; i++)
            {
                await writer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(leaves[i], NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
            }

            await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var update = new NpgsqlCommand("UPDATE audit_producers SET segment = $2, \"offset\" = $3 WHERE producer = $1", connection, tx))
        {
            update.Parameters.Add(new NpgsqlParameter { Value = producer });
            update.Parameters.Add(new NpgsqlParameter { Value = segment });
            update.Parameters.Add(new NpgsqlParameter { Value = offset });
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<QueuedLeaf>> ReadQueueAsync(int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        return PostgresRetry.RunAsync<IReadOnlyList<QueuedLeaf>>(
            _dataSource,
            async (c, ct) =>
            {
                await using var cmd = new NpgsqlCommand("SELECT id, data FROM audit_queue ORDER BY id LIMIT $1", c);
                cmd.Parameters.Add(new NpgsqlParameter { Value = max });
                await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
                var list = new List<QueuedLeaf>();
                while (await r.ReadAsync(ct).ConfigureAwait(false))
                {
                    list.Add(new QueuedLeaf(r.GetInt64(0), (byte[])r.GetValue(1)));
                }

                return list;
            },
            cancellationToken);
    }

    /// <inheritdoc/>
    public Task<long> CountQueuedAsync(CancellationToken cancellationToken = default) =>
        PostgresRetry.RunAsync(
            _dataSource,
            async (c, ct) =>
            {
                await using var cmd = new NpgsqlCommand("SELECT count(*) FROM audit_queue", c);
                return (long)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
            },
            cancellationToken);

    /// <inheritdoc/>
    public async Task AppendQueuedAsync(long startIndex, IReadOnlyList<StoredLeaf> leaves, IReadOnlyList<StoredNode> nodes, IReadOnlyList<long> queueIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(queueIds);
        await PostgresRetry.RunAsync(
            _dataSource,
            async (connection, ct) =>
            {
                await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
                await LockAndCheckSizeAsync(connection, tx, startIndex, ct).ConfigureAwait(false);
                await using (var delete = new NpgsqlCommand("DELETE FROM audit_queue WHERE id = ANY($1)", connection, tx))
                {
                    delete.Parameters.Add(new NpgsqlParameter { Value = queueIds.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
                    var deleted = await delete.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                    if (deleted != queueIds.Count)
                    {
                        throw new AuditStoreConflictException($"{queueIds.Count - deleted} queued leaves were already taken by another sequencer.");
                    }
                }

                try
                {
                    await CopyLeavesAndNodesAsync(connection, leaves, nodes, ct).ConfigureAwait(false);
                    await tx.CommitAsync(ct).ConfigureAwait(false);
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
                {
                    throw new AuditStoreConflictException($"Append at {startIndex} collided with another writer.", e);
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IAuditSequencerLease?> TryAcquireSequencerAsync(CancellationToken cancellationToken = default)
    {
        // A connection of its own, outside the pool: the session lock lives exactly as long as this connection, so it goes
        // away with the process (or the network) and another instance can take over.
        var builder = new NpgsqlConnectionStringBuilder(_connectionString) { Pooling = false, KeepAlive = 5, CommandTimeout = 10 };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var cmd = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection);
            cmd.Parameters.Add(new NpgsqlParameter { Value = SequencerLockKey });
            if ((bool)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                var lease = new PostgresSequencerLease(connection);
                connection = null;
                return lease;
            }

            return null;
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
