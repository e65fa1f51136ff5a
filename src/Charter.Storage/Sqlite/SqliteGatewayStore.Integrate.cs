// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Runtime.CompilerServices;
using Charter.Audit.Json;
using Charter.Audit.Storage;
using Charter.Records;
using Microsoft.Data.Sqlite;

namespace Charter.Storage.Sqlite;

/// <summary>Journal integration: request records and the journal position move together in one transaction.</summary>
public sealed partial class SqliteGatewayStore
{
    /// <inheritdoc/>
    public async Task IntegrateAsync(IReadOnlyList<JournalEvent> events, JournalPosition position, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // Positional parameters on statements prepared once per batch (SqliteRawStatement): by far the cheapest way through SQLite.
        using var insert = new SqliteRawStatement(c, """
            INSERT OR IGNORE INTO requests(id, ts, key_id, team_id, provider, account, model, purpose, endpoint, request, status,
                error_code, latency_ms, decision, rule, eval_run, policy_version, messages_sha256, prompt_tokens, completion_tokens,
                estimated, cost_nanos, first_token_ms, response_id)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)
            """);
        using var update = new SqliteRawStatement(c, """
            UPDATE requests SET status = ?2, error_code = ?3, prompt_tokens = ?4, completion_tokens = ?5, estimated = ?6,
                latency_ms = ?7, provider = COALESCE(?8, provider), account = COALESCE(?9, account), cost_nanos = ?10,
                first_token_ms = ?11, response_id = ?12
            WHERE id = ?1
            """);

        WriteRecords(JournalBatch.From(events), insert, update, cancellationToken);

        await using (var progress = c.CreateCommand())
        {
            progress.Transaction = tx;
            progress.CommandText = "INSERT INTO journal_progress(consumer, segment, \"offset\") VALUES ($c, $s, $o) ON CONFLICT(consumer) DO UPDATE SET segment = excluded.segment, \"offset\" = excluded.\"offset\"";
            progress.Parameters.AddWithValue("$c", ProgressName("records"));
            progress.Parameters.AddWithValue("$s", position.Segment);
            progress.Parameters.AddWithValue("$o", position.Offset);
            await progress.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    // A request and its completion in the same batch (the usual case) become one INSERT instead of an INSERT and an UPDATE.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once per batch, looping over its rows: see docs/performance.md
    private void WriteRecords(JournalBatch batch, SqliteRawStatement insert, SqliteRawStatement update, CancellationToken cancellationToken)
    {
        Span<char> ts = stackalloc char[TsLength];
        var stored = new ArrayBufferWriter<byte>(1024); // the stored (redacted) body of each request, as UTF-8
        for (var i = 0; i < batch.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var e = batch[i];
            if (e.Kind == "request")
            {
                var done = batch.CompletionOf(i);
                insert.Bind(1, e.Id);
                UtcTimestamp.Format(e.Ts, ts);
                insert.Bind(2, ts);
                insert.Bind(3, e.Key);
                insert.Bind(4, e.Team);
                insert.Bind(5, done?.Provider ?? e.Provider);
                insert.Bind(6, done?.Account ?? e.Account);
                insert.Bind(7, e.Model);
                insert.Bind(8, e.Purpose);
                insert.Bind(9, e.Endpoint);
                var hashInBody = false;
                if (e.Body.IsEmpty)
                {
                    insert.Bind(10, (string?)null);
                }
                else
                {
                    stored.ResetWrittenCount();
                    hashInBody = RequestRedactor.RedactUtf8(e.Body.Span, e.Endpoint, e.MessagesSha256, _retainContent, stored, e.MessagesStart, e.MessagesLength);
                    insert.BindUtf8(10, stored.WrittenSpan);
                }

                insert.Bind(11, done is null ? e.Status : done.Status);
                insert.Bind(12, done is null ? e.Code : done.Code);
                insert.Bind(13, done is null ? (e.Status is null ? null : e.LatencyMs) : done.LatencyMs);
                insert.Bind(14, e.Decision);
                insert.Bind(15, e.Rule);
                insert.Bind(16, e.EvalRun);
                insert.Bind(17, e.PolicyVersion);
                // The stored body holds the messages' hash in their place ("messages":"sha256:…"): the column keeps it only
                // when the body does not (content retained, no body, a body that did not parse): ~65 bytes a row less.
                insert.Bind(18, hashInBody ? null : e.MessagesSha256);
                insert.Bind(19, done?.PromptTokens);
                insert.Bind(20, done?.CompletionTokens);
                insert.Bind(21, done is { Estimated: true } ? 1 : 0);
                insert.Bind(22, done?.CostNanos);
                insert.Bind(23, done?.FirstTokenMs);
                insert.Bind(24, done?.ResponseId);
                insert.Execute();
            }
            else if (e.Kind == "completion")
            {
                if (batch.RequestIndexOf(i) >= 0)
                {
                    continue; // already written with its request
                }

                update.Bind(1, e.Id);
                update.Bind(2, e.Status);
                update.Bind(3, e.Code);
                update.Bind(4, e.PromptTokens);
                update.Bind(5, e.CompletionTokens);
                update.Bind(6, e.Estimated ? 1 : 0);
                update.Bind(7, e.LatencyMs);
                update.Bind(8, e.Provider);
                update.Bind(9, e.Account);
                update.Bind(10, e.CostNanos);
                update.Bind(11, e.FirstTokenMs);
                update.Bind(12, e.ResponseId);
                update.Execute();
            }
        }
    }

    /// <inheritdoc/>
    public async Task<JournalPosition?> GetConsumerPositionAsync(string consumer, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT segment, \"offset\" FROM journal_progress WHERE consumer = $c";
        cmd.Parameters.AddWithValue("$c", ProgressName(consumer));
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false) ? new JournalPosition(r.GetInt64(0), r.GetInt64(1)) : null;
    }

    /// <inheritdoc/>
    public async Task SetConsumerPositionAsync(string consumer, JournalPosition position, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "INSERT INTO journal_progress(consumer, segment, \"offset\") VALUES ($c, $s, $o) ON CONFLICT(consumer) DO UPDATE SET segment = excluded.segment, \"offset\" = excluded.\"offset\"";
        cmd.Parameters.AddWithValue("$c", ProgressName(consumer));
        cmd.Parameters.AddWithValue("$s", position.Segment);
        cmd.Parameters.AddWithValue("$o", position.Offset);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
