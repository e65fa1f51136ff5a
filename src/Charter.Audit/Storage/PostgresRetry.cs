// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Data;
using Npgsql;

namespace Charter.Audit.Storage;

/// <summary>Runs a database operation on a pooled connection, retrying once on a fresh connection when a pooled one turns out
/// to be dead (the server restarted or the network dropped while it sat idle in the pool).</summary>
/// <remarks>Only for operations that are safe to repeat: idempotent writes, or writes whose repetition is detected (an audit
/// append re-checks the log size and reports a conflict). A real outage still fails, on the second attempt.</remarks>
public static class PostgresRetry
{
    /// <summary>Runs <paramref name="operation"/>; on a broken connection clears the pool and runs it once more.</summary>
    public static async Task<T> RunAsync<T>(NpgsqlDataSource dataSource, Func<NpgsqlConnection, CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(operation);
        for (var attempt = 0; ; attempt++)
        {
            var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await operation(connection, cancellationToken).ConfigureAwait(false);
            }
            catch (NpgsqlException e) when (attempt == 0 && e is not PostgresException && connection.FullState.HasFlag(ConnectionState.Broken) && !cancellationToken.IsCancellationRequested)
            {
                dataSource.Clear();
            }
            finally
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Runs <paramref name="operation"/> (no result) with the same retry.</summary>
    public static Task RunAsync(NpgsqlDataSource dataSource, Func<NpgsqlConnection, CancellationToken, Task> operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return RunAsync<bool>(
            dataSource,
            async (c, ct) =>
            {
                await operation(c, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }
}
