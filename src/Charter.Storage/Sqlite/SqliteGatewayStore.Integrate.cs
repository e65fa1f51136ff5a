// Copyright (c) Charter contributors. Licensed under the MIT License.

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
        await using var insert = c.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = """
            INSERT OR IGNORE INTO requests(id, ts, key_id, team_id, provider, account, model, purpose, endpoint, request, status,
                error_code, latency_ms, decision, rule, eval_run, policy_version, messages_sha256, prompt_tokens, completion_tokens,
                estimated, cost_nanos)
            VALUES ($id, $ts, $key, $team, $provider, $account, $model, $purpose, $endpoint, $request, $status,
                $code, $latency, $decision, $rule, $run, $pv, $sha, $pt, $ct, $est, $cost)
            """;
        var p = new Dictionary<string, SqliteParameter>(StringComparer.Ordinal);
        foreach (var name in new[] { "$id", "$ts", "$key", "$team", "$provider", "$account", "$model", "$purpose", "$endpoint", "$request", "$status", "$code", "$latency", "$decision", "$rule", "$run", "$pv", "$sha", "$pt", "$ct", "$est", "$cost" })
        {
            p[name] = insert.Parameters.Add(name, SqliteType.Text);
        }

        await using var update = c.CreateCommand();
        update.Transaction = tx;
        update.CommandText = """
            UPDATE requests SET status = $status, error_code = $code, prompt_tokens = $pt, completion_tokens = $ct, estimated = $est,
                latency_ms = $latency, provider = COALESCE($provider, provider), account = COALESCE($account, account), cost_nanos = $cost
            WHERE id = $id
            """;
        var u = new Dictionary<string, SqliteParameter>(StringComparer.Ordinal);
        foreach (var name in new[] { "$id", "$status", "$code", "$pt", "$ct", "$est", "$latency", "$provider", "$account", "$cost" })
        {
            u[name] = update.Parameters.Add(name, SqliteType.Text);
        }

        // A request and its completion in the same batch (the usual case) become one INSERT instead of an INSERT and an UPDATE.
        var completions = JournalBatch.PairCompletions(events);
        foreach (var e in events)
        {
            if (e.Kind == "request")
            {
                var done = completions?.GetValueOrDefault(e.Id);
                Set(p, "$id", e.Id);
                Set(p, "$ts", Ts(e.Ts));
                Set(p, "$key", e.Key);
                Set(p, "$team", e.Team);
                Set(p, "$provider", done?.Provider ?? e.Provider);
                Set(p, "$account", done?.Account ?? e.Account);
                Set(p, "$model", e.Model);
                Set(p, "$purpose", e.Purpose);
                Set(p, "$endpoint", e.Endpoint);
                Set(p, "$request", e.Body.IsEmpty ? null : RequestRedactor.Redact(e.Body.Span, e.Endpoint, e.MessagesSha256, _retainContent));
                Set(p, "$status", done is null ? e.Status : done.Status);
                Set(p, "$code", done is null ? e.Code : done.Code);
                Set(p, "$latency", done is null ? (e.Status is null ? null : e.LatencyMs) : done.LatencyMs);
                Set(p, "$decision", e.Decision);
                Set(p, "$rule", e.Rule);
                Set(p, "$run", e.EvalRun);
                Set(p, "$pv", e.PolicyVersion);
                Set(p, "$sha", e.MessagesSha256);
                Set(p, "$pt", done?.PromptTokens);
                Set(p, "$ct", done?.CompletionTokens);
                Set(p, "$est", done is { Estimated: true } ? 1 : 0);
                Set(p, "$cost", done?.CostNanos);
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            else if (e.Kind == "completion")
            {
                if (completions is not null && completions.GetValueOrDefault(e.Id) == e)
                {
                    continue; // already written with its request
                }

                Set(u, "$id", e.Id);
                Set(u, "$status", e.Status);
                Set(u, "$code", e.Code);
                Set(u, "$pt", e.PromptTokens);
                Set(u, "$ct", e.CompletionTokens);
                Set(u, "$est", e.Estimated ? 1 : 0);
                Set(u, "$latency", e.LatencyMs);
                Set(u, "$provider", e.Provider);
                Set(u, "$account", e.Account);
                Set(u, "$cost", e.CostNanos);
                await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

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

    private static void Set(Dictionary<string, SqliteParameter> p, string name, object? value) => p[name].Value = value ?? DBNull.Value;
}
