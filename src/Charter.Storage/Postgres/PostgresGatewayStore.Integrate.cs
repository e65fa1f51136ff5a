// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Audit.Storage;
using Charter.Audit.Threading;
using Charter.Records;
using Npgsql;
using NpgsqlTypes;

namespace Charter.Storage.Postgres;

/// <summary>Journal integration: request records and the journal position move together in one transaction.</summary>
public sealed partial class PostgresGatewayStore
{
    private const string RecordsConsumer = "records";

    private const string InsertSql = """
        INSERT INTO requests(id, ts, key_id, team_id, provider, account, model, purpose, endpoint, request, status,
            error_code, latency_ms, decision, rule, eval_run, policy_version, messages_sha256, prompt_tokens, completion_tokens,
            estimated, cost_nanos, first_token_ms, response_id)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)
        ON CONFLICT (id) DO NOTHING
        """;

    private const string UpdateSql = """
        UPDATE requests SET status = $2, error_code = $3, prompt_tokens = $4, completion_tokens = $5, estimated = $6,
            latency_ms = $7, provider = COALESCE($8, provider), account = COALESCE($9, account), cost_nanos = $10,
            first_token_ms = $11, response_id = $12
        WHERE id = $1
        """;

    private const string ProgressSql = """
        INSERT INTO journal_progress(consumer, segment, "offset") VALUES ($1, $2, $3)
        ON CONFLICT (consumer) DO UPDATE SET segment = excluded.segment, "offset" = excluded."offset"
        """;

    /// <inheritdoc/>
    /// <remarks>All inserts and updates of the batch go to the server in one round trip (an <see cref="NpgsqlBatch"/>) inside the
    /// transaction that also moves the journal position; request events already present are ignored, so a replay is harmless.</remarks>
    public async Task IntegrateAsync(IReadOnlyList<JournalEvent> events, JournalPosition position, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);

        // Safe to repeat: request inserts are idempotent, completion updates and the position write are absolute.
        await PostgresRetry.RunAsync(DataSource, (c, ct) => IntegrateOnceAsync(c, events, position, ct), cancellationToken).ConfigureAwait(false);
    }

    private async Task IntegrateOnceAsync(NpgsqlConnection c, IReadOnlyList<JournalEvent> events, JournalPosition position, CancellationToken cancellationToken)
    {
        await using var tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // Building the rows is CPU work: off a socket event thread if the round trip completed on one (inline completions).
        await ThreadPoolHop.Instance;
        await using var batch = new NpgsqlBatch(c, tx);
        // A request and its completion in the same batch (the usual case) become one INSERT instead of an INSERT and an UPDATE.
        var journal = JournalBatch.From(events);
        for (var i = 0; i < journal.Count; i++)
        {
            var e = journal[i];
            if (e.Kind == "request")
            {
                var done = journal.CompletionOf(i);
                var cmd = new NpgsqlBatchCommand(InsertSql);
                var p = cmd.Parameters;
                P(p, e.Id, NpgsqlDbType.Text);
                P(p, Ts(e.Ts), NpgsqlDbType.TimestampTz);
                P(p, e.Key, NpgsqlDbType.Text);
                P(p, e.Team, NpgsqlDbType.Text);
                P(p, done?.Provider ?? e.Provider, NpgsqlDbType.Text);
                P(p, done?.Account ?? e.Account, NpgsqlDbType.Text);
                P(p, e.Model, NpgsqlDbType.Text);
                P(p, e.Purpose, NpgsqlDbType.Text);
                P(p, e.Endpoint, NpgsqlDbType.Text);
                var hashInBody = false;
                P(p, e.Body.IsEmpty ? null : RequestRedactor.Redact(e.Body.Span, e.Endpoint, e.MessagesSha256, _retainContent, out hashInBody, e.MessagesStart, e.MessagesLength), NpgsqlDbType.Text);
                P(p, done is null ? e.Status : done.Status, NpgsqlDbType.Integer);
                P(p, done is null ? e.Code : done.Code, NpgsqlDbType.Text);
                P(p, done is null ? (e.Status is null ? null : e.LatencyMs) : done.LatencyMs, NpgsqlDbType.Double);
                P(p, e.Decision, NpgsqlDbType.Text);
                P(p, e.Rule, NpgsqlDbType.Text);
                P(p, e.EvalRun, NpgsqlDbType.Text);
                P(p, e.PolicyVersion, NpgsqlDbType.Text);
                P(p, hashInBody ? null : e.MessagesSha256, NpgsqlDbType.Text); // not again when the stored body holds it
                P(p, done?.PromptTokens, NpgsqlDbType.Integer);
                P(p, done?.CompletionTokens, NpgsqlDbType.Integer);
                P(p, done is { Estimated: true }, NpgsqlDbType.Boolean);
                P(p, done?.CostNanos, NpgsqlDbType.Bigint);
                P(p, done?.FirstTokenMs, NpgsqlDbType.Double);
                P(p, done?.ResponseId, NpgsqlDbType.Text);
                batch.BatchCommands.Add(cmd);
            }
            else if (e.Kind == "completion")
            {
                if (journal.RequestIndexOf(i) >= 0)
                {
                    continue; // already written with its request
                }

                var cmd = new NpgsqlBatchCommand(UpdateSql);
                var p = cmd.Parameters;
                P(p, e.Id, NpgsqlDbType.Text);
                P(p, e.Status, NpgsqlDbType.Integer);
                P(p, e.Code, NpgsqlDbType.Text);
                P(p, e.PromptTokens, NpgsqlDbType.Integer);
                P(p, e.CompletionTokens, NpgsqlDbType.Integer);
                P(p, e.Estimated, NpgsqlDbType.Boolean);
                P(p, e.LatencyMs, NpgsqlDbType.Double);
                P(p, e.Provider, NpgsqlDbType.Text);
                P(p, e.Account, NpgsqlDbType.Text);
                P(p, e.CostNanos, NpgsqlDbType.Bigint);
                P(p, e.FirstTokenMs, NpgsqlDbType.Double);
                P(p, e.ResponseId, NpgsqlDbType.Text);
                batch.BatchCommands.Add(cmd);
            }
        }

        var progress = new NpgsqlBatchCommand(ProgressSql);
        P(progress.Parameters, ProgressName(RecordsConsumer), NpgsqlDbType.Text);
        P(progress.Parameters, position.Segment, NpgsqlDbType.Bigint);
        P(progress.Parameters, position.Offset, NpgsqlDbType.Bigint);
        batch.BatchCommands.Add(progress);
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<JournalPosition?> GetConsumerPositionAsync(string consumer, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("SELECT segment, \"offset\" FROM journal_progress WHERE consumer = $1", c);
        Add(cmd, ProgressName(consumer), NpgsqlDbType.Text);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false) ? new JournalPosition(r.GetInt64(0), r.GetInt64(1)) : null;
    }

    /// <inheritdoc/>
    public async Task SetConsumerPositionAsync(string consumer, JournalPosition position, CancellationToken cancellationToken = default)
    {
        await PostgresRetry.RunAsync(
            DataSource,
            async (c, ct) =>
            {
                await using var cmd = new NpgsqlCommand(ProgressSql, c);
                Add(cmd, ProgressName(consumer), NpgsqlDbType.Text);
                Add(cmd, position.Segment, NpgsqlDbType.Bigint);
                Add(cmd, position.Offset, NpgsqlDbType.Bigint);
                await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The name a consumer's journal position is stored under: <c>records@instance</c>, or just <c>records</c>.</summary>
    private string ProgressName(string consumer) => _instance.Length == 0 ? consumer : consumer + "@" + _instance;

    private static void P(NpgsqlParameterCollection parameters, object? value, NpgsqlDbType type) =>
        parameters.Add(new NpgsqlParameter { NpgsqlDbType = type, Value = value ?? DBNull.Value });
}
