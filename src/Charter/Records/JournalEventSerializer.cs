// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text.Json;

namespace Charter.Records;

/// <summary>Writes and reads journal events as compact JSON (hand-written with Utf8JsonWriter: no reflection, no intermediate strings).</summary>
public static class JournalEventSerializer
{
    // One writer per thread, reset onto each output: two events a request no longer allocate two writers.
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Serialises <paramref name="e"/> into <paramref name="output"/>.</summary>
    public static void Write(JournalEvent e, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(e);
        var w = t_writer;
        if (w is null)
        {
            w = t_writer = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        }
        else
        {
            w.Reset(output);
        }

        w.WriteStartObject();
        w.WriteString("kind"u8, e.Kind);
        w.WriteString("id"u8, e.Id);
        w.WriteString("ts"u8, e.Ts.UtcDateTime);
        Opt(w, "key"u8, e.Key);
        Opt(w, "team"u8, e.Team);
        Opt(w, "provider"u8, e.Provider);
        Opt(w, "account"u8, e.Account);
        Opt(w, "model"u8, e.Model);
        Opt(w, "purpose"u8, e.Purpose);
        Opt(w, "endpoint"u8, e.Endpoint);
        Opt(w, "decision"u8, e.Decision);
        Opt(w, "rule"u8, e.Rule);
        Opt(w, "code"u8, e.Code);
        Opt(w, "policy_version"u8, e.PolicyVersion);
        Opt(w, "messages_sha256"u8, e.MessagesSha256);
        Opt(w, "eval_run"u8, e.EvalRun);
        if (e.Stream)
        {
            w.WriteBoolean("stream"u8, true);
        }

        Opt(w, "status"u8, e.Status);
        Opt(w, "prompt_tokens"u8, e.PromptTokens);
        Opt(w, "completion_tokens"u8, e.CompletionTokens);
        Opt(w, "cached_tokens"u8, e.CachedTokens);
        if (e.Estimated)
        {
            w.WriteBoolean("estimated"u8, true);
        }

        if (e.LatencyMs is { } latency)
        {
            w.WriteNumber("latency_ms"u8, Math.Round(latency, 3));
        }

        if (e.CostNanos is { } cost)
        {
            w.WriteNumber("cost_nanos"u8, cost);
        }

        Opt(w, "actor"u8, e.Actor);
        Opt(w, "entity_type"u8, e.EntityType);
        Opt(w, "entity_id"u8, e.EntityId);
        Opt(w, "reason"u8, e.Reason);
        Opt(w, "detail"u8, e.Detail);
        if (!e.Body.IsEmpty)
        {
            w.WritePropertyName("body"u8);
            w.WriteRawValue(e.Body.Span, skipInputValidation: true);
        }

        w.WriteEndObject();
        w.Flush();
    }

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

    private static void Opt(Utf8JsonWriter w, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static void Opt(Utf8JsonWriter w, ReadOnlySpan<byte> name, int? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }

    private static string? Str(JsonElement r, string name) =>
        r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int? Int(JsonElement r, string name) =>
        r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;
}
