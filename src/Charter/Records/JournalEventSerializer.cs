// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text.Json;

namespace Charter.Records;

/// <summary>Writes and reads journal events as compact JSON (written by hand into the output, <see cref="JournalJsonWriter"/>: no reflection, no intermediate strings).</summary>
public static class JournalEventSerializer
{
    /// <summary>Serialises <paramref name="e"/> into <paramref name="output"/>.</summary>
    public static void Write(JournalEvent e, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(e);
        var w = new JournalJsonWriter(output);
        w.StartObject();
        w.String("kind"u8, e.Kind);
        w.String("id"u8, e.Id);
        w.Timestamp("ts"u8, e.Ts);
        Opt(ref w, "key"u8, e.Key);
        Opt(ref w, "team"u8, e.Team);
        Opt(ref w, "provider"u8, e.Provider);
        Opt(ref w, "account"u8, e.Account);
        Opt(ref w, "model"u8, e.Model);
        Opt(ref w, "purpose"u8, e.Purpose);
        Opt(ref w, "endpoint"u8, e.Endpoint);
        Opt(ref w, "decision"u8, e.Decision);
        Opt(ref w, "rule"u8, e.Rule);
        Opt(ref w, "code"u8, e.Code);
        Opt(ref w, "policy_version"u8, e.PolicyVersion);
        Opt(ref w, "messages_sha256"u8, e.MessagesSha256);
        Opt(ref w, "eval_run"u8, e.EvalRun);
        if (e.Stream)
        {
            w.True("stream"u8);
        }

        Opt(ref w, "status"u8, e.Status);
        Opt(ref w, "prompt_tokens"u8, e.PromptTokens);
        Opt(ref w, "completion_tokens"u8, e.CompletionTokens);
        Opt(ref w, "cached_tokens"u8, e.CachedTokens);
        if (e.Estimated)
        {
            w.True("estimated"u8);
        }

        if (e.LatencyMs is { } latency && double.IsFinite(latency))
        {
            w.Number("latency_ms"u8, Math.Round(latency, 3));
        }

        if (e.CostNanos is { } cost)
        {
            w.Number("cost_nanos"u8, cost);
        }

        Opt(ref w, "actor"u8, e.Actor);
        Opt(ref w, "entity_type"u8, e.EntityType);
        Opt(ref w, "entity_id"u8, e.EntityId);
        Opt(ref w, "reason"u8, e.Reason);
        Opt(ref w, "detail"u8, e.Detail);
        if (!e.Body.IsEmpty)
        {
            w.Raw("body"u8, e.Body.Span); // last, as it is: BodyStart relies on it
        }

        w.EndObject();
    }

    /// <summary>Where the body sits in a frame written by <see cref="Write"/> that ends at <paramref name="end"/>: the last
    /// member, raw, just before the closing brace.</summary>
    internal static int BodyStart(int end, int bodyLength) => end - 1 - bodyLength;

    /// <summary>Reads an event written by <see cref="Write"/>.</summary>
    public static JournalEvent Read(ReadOnlySpan<byte> json)
    {
        using var doc = JsonDocument.Parse(json.ToArray());
        var r = doc.RootElement;
        return new JournalEvent
        {
            Kind = Str(r, "kind") ?? "request",
            Id = Str(r, "id") ?? "",
            Ts = r.TryGetProperty("ts", out var ts) ? ts.GetDateTimeOffset() : DateTimeOffset.UnixEpoch,
            Key = Str(r, "key"),
            Team = Str(r, "team"),
            Provider = Str(r, "provider"),
            Account = Str(r, "account"),
            Model = Str(r, "model"),
            Purpose = Str(r, "purpose"),
            Endpoint = Str(r, "endpoint"),
            Decision = Str(r, "decision"),
            Rule = Str(r, "rule"),
            Code = Str(r, "code"),
            PolicyVersion = Str(r, "policy_version"),
            MessagesSha256 = Str(r, "messages_sha256"),
            EvalRun = Str(r, "eval_run"),
            Stream = r.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True,
            Status = Int(r, "status"),
            PromptTokens = Int(r, "prompt_tokens"),
            CompletionTokens = Int(r, "completion_tokens"),
            CachedTokens = Int(r, "cached_tokens"),
            Estimated = r.TryGetProperty("estimated", out var est) && est.ValueKind == JsonValueKind.True,
            LatencyMs = r.TryGetProperty("latency_ms", out var l) ? l.GetDouble() : null,
            CostNanos = r.TryGetProperty("cost_nanos", out var c) ? c.GetInt64() : null,
            Actor = Str(r, "actor"),
            EntityType = Str(r, "entity_type"),
            EntityId = Str(r, "entity_id"),
            Reason = Str(r, "reason"),
            Detail = Str(r, "detail"),
            Body = r.TryGetProperty("body", out var b) ? System.Text.Encoding.UTF8.GetBytes(b.GetRawText()) : ReadOnlyMemory<byte>.Empty,
        };
    }

    private static void Opt(ref JournalJsonWriter w, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            w.String(name, value);
        }
    }

    private static void Opt(ref JournalJsonWriter w, ReadOnlySpan<byte> name, int? value)
    {
        if (value is { } v)
        {
            w.Number(name, v);
        }
    }

    private static string? Str(JsonElement r, string name) =>
        r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int? Int(JsonElement r, string name) =>
        r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;
}
