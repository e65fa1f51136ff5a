// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Runtime.CompilerServices;
using System.Text.Json;
using Charter.Audit;
using Charter.Records;

namespace Charter.AuditTrail;

/// <summary>Turns journal events into audit events (the leaves of the Merkle log).</summary>
/// <remarks>A request's decision and its completion are integrated together when they reach the audit log in the same
/// batch (the usual case): one <c>request</c> leaf with the decision, the status and the usage. A completion that comes in
/// a later batch is a leaf of its own, <c>request.completed</c>, with the id <c>id:completed</c>.</remarks>
public static class AuditEventMapper
{
    /// <summary>Maps a batch in journal order, folding each completion into its request's leaf when both are in the batch.</summary>
    /// <param name="batch">Journal events in order.</param>
    /// <param name="skip">Events already in the log (after a crash replay), or null.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once per batch, looping over its rows: see docs/performance.md
    public static List<AuditEvent> MapBatch(IReadOnlyList<JournalEvent> batch, Func<JournalEvent, bool>? skip = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var output = new List<AuditEvent>(batch.Count);
        var events = JournalBatch.From(batch);
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (skip?.Invoke(e) == true)
            {
                continue;
            }

            if (e.Kind == "completion" && events.RequestIndexOf(i) is >= 0 and var r && Folds(events[r], skip))
            {
                continue; // already in its request's leaf
            }

            if (e.Kind == "request" && events.CompletionOf(i) is { } completion && Folds(e, skip))
            {
                // Forwarded (not refused) and completed within the batch: one leaf; the completion is skipped when the loop
                // reaches it.
                output.Add(MapRequest(e, completion));
                continue;
            }

            output.Add(Map(e));
        }

        return output;
    }

    // A request takes its in-batch completion into its leaf when it was forwarded (a refusal is complete already) and is not
    // itself skipped.
    private static bool Folds(JournalEvent request, Func<JournalEvent, bool>? skip) => request.Status is null && skip?.Invoke(request) != true;

    /// <summary>Whether a stored leaf already carries its request's completion (a refusal, or a folded completion).</summary>
    public static bool IsComplete(AuditEvent leaf)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        return leaf.Kind == AuditEventKinds.Request && leaf.Status is not null;
    }

    /// <summary>The audit event id of a journal event.</summary>
    public static string AuditId(JournalEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Kind == "completion" ? e.Id + ":completed" : e.Id;
    }

    // A request's leaf; with its completion folded in (status, code, provider, account, usage) when given.
    private static AuditEvent MapRequest(JournalEvent e, JournalEvent? completion) => new()
    {
        Kind = AuditEventKinds.Request,
        Ts = e.Ts,
        Id = e.Id,
        RequestId = e.Id,
        Key = e.Key,
        Team = e.Team,
        Purpose = e.Purpose,
        Provider = completion?.Provider ?? e.Provider,
        Account = completion?.Account ?? e.Account,
        Model = e.Model,
        Decision = e.Decision,
        Rule = e.Rule,
        Code = completion is null ? e.Code : completion.Code ?? e.Code,
        PolicyVersion = e.PolicyVersion,
        MessagesSha256 = e.MessagesSha256,
        Status = completion is null ? e.Status : completion.Status,
        EvalRun = e.EvalRun,
        Reason = e.Reason,
        Usage = completion is null || (completion.PromptTokens is null && completion.CompletionTokens is null) ? null
            : new AuditUsage(completion.PromptTokens ?? 0, completion.CompletionTokens ?? 0, completion.Estimated),
    };

    /// <summary>Maps one event.</summary>
    public static AuditEvent Map(JournalEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        switch (e.Kind)
        {
            case "request":
                return MapRequest(e, null);
            case "completion":
                return new AuditEvent
                {
                    Kind = AuditEventKinds.RequestCompleted,
                    Ts = e.Ts,
                    Id = AuditId(e),
                    RequestId = e.Id,
                    Key = e.Key,
                    Team = e.Team,
                    Provider = e.Provider,
                    Account = e.Account,
                    Model = e.Model,
                    Status = e.Status,
                    Code = e.Code,
                    Usage = e.PromptTokens is null && e.CompletionTokens is null ? null
                        : new AuditUsage(e.PromptTokens ?? 0, e.CompletionTokens ?? 0, e.Estimated),
                };
            default:
                var (from, to, name, measures, deadline) = ParseDetail(e.Detail);
                return new AuditEvent
                {
                    Kind = e.Kind switch
                    {
                        "transition" => AuditEventKinds.Transition,
                        "policy.load" => AuditEventKinds.PolicyLoad,
                        _ => AuditEventKinds.Admin,
                    },
                    Ts = e.Ts,
                    Id = e.Id,
                    EntityType = e.EntityType,
                    EntityId = e.EntityId,
                    Actor = e.Actor,
                    Reason = e.Reason,
                    PolicyVersion = e.PolicyVersion,
                    FromState = from,
                    ToState = to,
                    Event = name,
                    Measures = measures,
                    Deadline = deadline,
                    Detail = name is null ? e.Detail : null,
                    Key = e.Key,
                    Team = e.Team,
                };
        }
    }

    private static (string? From, string? To, string? Event, IReadOnlyList<string>? Measures, DateTimeOffset? Deadline) ParseDetail(string? detail)
    {
        if (string.IsNullOrEmpty(detail) || detail[0] != '{')
        {
            return default;
        }

        try
        {
            using var doc = JsonDocument.Parse(detail);
            var r = doc.RootElement;
            List<string>? measures = null;
            if (r.TryGetProperty("measures", out var m) && m.ValueKind == JsonValueKind.Array)
            {
                measures = [.. m.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : x.GetRawText())];
            }

            DateTimeOffset? deadline = r.TryGetProperty("deadline", out var d) && d.ValueKind == JsonValueKind.String && d.TryGetDateTimeOffset(out var dt) ? dt : null;
            return (Str(r, "from"), Str(r, "to"), Str(r, "event"), measures, deadline);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static string? Str(JsonElement r, string name) => r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
