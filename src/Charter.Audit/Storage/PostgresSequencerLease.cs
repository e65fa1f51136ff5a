// Copyright (c) Charter contributors. Licensed under the MIT License.

using Npgsql;

namespace Charter.Audit.Storage;

/// <summary>The sequencer lease on PostgreSQL: a session advisory lock on a dedicated, unpooled connection.</summary>
internal sealed class PostgresSequencerLease(NpgsqlConnection connection) : IAuditSequencerLease
{
    public async Task<bool> IsHeldAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            // The lock belongs to the session: while the session answers, it holds the lock.
            await using var cmd = new NpgsqlCommand("SELECT 1", connection);
            await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Closing an unpooled connection ends the session, which releases the lock.
        await connection.DisposeAsync().ConfigureAwait(false);
    }
}
