// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Charter.Records;

/// <summary>Writes and reads journal events in the journal's compact binary form; reads the JSON frames of older builds.</summary>
/// <remarks>
/// <code>
/// 0x01 | members present (uint32 LE) | ts (UTC ticks, int64 LE) | kind | id | each present member in order | body (the rest)
/// string:  varint(byteLength &lt;&lt; 1) UTF-8, or varint(32 &lt;&lt; 1 | 1) and 32 bytes for 64 lowercase hex digits (a SHA-256)
/// integer: zigzag varint; latency: float64 LE (rounded to 3 decimals); stream, estimated: presence bits alone
/// messages: two integers, where the messages (or input) start in the body and their length, as the request parser found
/// them (the store redacts the body with them instead of parsing it again)
/// </code>
/// Each page of the mapped segment an append writes costs a first write and a writeback (a TLB flush) on top of the
/// bytes, so the frame is kept small: a request event with the benchmark's 200-byte prompt takes ~390 bytes and its
/// completion ~130, where the JSON these replaced took ~590 and ~300 (docs/performance.md). A frame of an older build
/// is JSON (its first byte is <c>{</c>) and is still read.
/// </remarks>
public static class JournalEventSerializer
{
    private const byte Binary = 0x01;
    private const int HeaderSize = 1 + 4 + 8;

    // The policy version last written and its 32 bytes (PolicyVersion). Immutable, replaced whole on a reload.
    private static HexString? s_policyVersion;

    [Flags]
    private enum Member : uint
    {
        None = 0,
        Key = 1u << 0,
        Team = 1u << 1,
        Provider = 1u << 2,
        Account = 1u << 3,
        Model = 1u << 4,
        Purpose = 1u << 5,
        Endpoint = 1u << 6,
        Decision = 1u << 7,
        Rule = 1u << 8,
        Code = 1u << 9,
        PolicyVersion = 1u << 10,
        MessagesSha256 = 1u << 11,
        EvalRun = 1u << 12,
        Stream = 1u << 13,
        Status = 1u << 14,
        PromptTokens = 1u << 15,
        CompletionTokens = 1u << 16,
        CachedTokens = 1u << 17,
        Estimated = 1u << 18,
        LatencyMs = 1u << 19,
        CostNanos = 1u << 20,
        Actor = 1u << 21,
        EntityType = 1u << 22,
        EntityId = 1u << 23,
        Reason = 1u << 24,
        Detail = 1u << 25,
        Body = 1u << 26,
        Messages = 1u << 27,
        FirstTokenMs = 1u << 28,
        ResponseId = 1u << 29,
    }

    /// <summary>Serialises <paramref name="e"/> into <paramref name="output"/>.</summary>
    public static void Write(JournalEvent e, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(output);
        var latency = Milliseconds(e.LatencyMs);
        var firstToken = Milliseconds(e.FirstTokenMs);
        var present = Present(e, latency, firstToken);
        var header = output.GetSpan(HeaderSize);
        header[0] = Binary;
        BinaryPrimitives.WriteUInt32LittleEndian(header[1..], (uint)present);
        BinaryPrimitives.WriteInt64LittleEndian(header[5..], e.Ts.UtcTicks);
        output.Advance(HeaderSize);
        String(output, e.Kind);
        String(output, e.Id);
        String(output, e.Key);
        String(output, e.Team);
        String(output, e.Provider);
        String(output, e.Account);
        String(output, e.Model);
        String(output, e.Purpose);
        String(output, e.Endpoint);
        String(output, e.Decision);
        String(output, e.Rule);
        String(output, e.Code);
        PolicyVersion(output, e.PolicyVersion);
        if (e.MessagesSha256 is null && e.HasMessagesDigest)
        {
            Hash(output, e.MessagesDigest); // as its 64-digit hex string is written
        }
        else
        {
            String(output, e.MessagesSha256);
        }

        String(output, e.EvalRun);
        Integer(output, e.Status);
        Integer(output, e.PromptTokens);
        Integer(output, e.CompletionTokens);
        Integer(output, e.CachedTokens);
        if (latency is { } ms)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(output.GetSpan(8), ms);
            output.Advance(8);
        }

        Integer(output, e.CostNanos);
        String(output, e.Actor);
        String(output, e.EntityType);
        String(output, e.EntityId);
        String(output, e.Reason);
        String(output, e.Detail);
        if ((present & Member.Messages) != 0)
        {
            Integer(output, e.MessagesStart);
            Integer(output, e.MessagesLength);
        }

        if (firstToken is { } ttft)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(output.GetSpan(8), ttft);
            output.Advance(8);
        }

        String(output, e.ResponseId);

        if (!e.Body.IsEmpty)
        {
            output.Write(e.Body.Span); // last, to the end of the frame: Read takes the rest of the frame as the body
        }
    }

    /// <summary>Reads an event written by <see cref="Write"/>, or the JSON of an older build; its body is a copy.</summary>
    public static JournalEvent Read(ReadOnlySpan<byte> payload)
    {
        if (!IsBinary(payload))
        {
            return ReadJson(payload);
        }

        var e = JournalEvent.CreateEmpty();
        var bodyAt = Fill(e, payload, null);
        e.Body = bodyAt >= 0 ? payload[bodyAt..].ToArray() : ReadOnlyMemory<byte>.Empty;
        return e;
    }

    /// <summary>Reads an event written by <see cref="Write"/>, or the JSON of an older build; its body is a slice of
    /// <paramref name="payload"/>, not a copy, and its strings other than the id come from <paramref name="strings"/> when
    /// given (one string for every event of the same key, team, model, policy version...).</summary>
    public static JournalEvent Read(ReadOnlyMemory<byte> payload, JournalStringCache? strings = null)
    {
        if (!IsBinary(payload.Span))
        {
            return ReadJson(payload.Span);
        }

        var e = JournalEvent.CreateEmpty();
        TryReadInto(e, payload, strings);
        return e;
    }

    /// <summary>As <see cref="Read(ReadOnlyMemory{byte}, JournalStringCache?)"/>, into an existing event (a batch's pooled
    /// one), every member of which is set; false, and <paramref name="e"/> untouched, for the JSON frame of an older build.</summary>
    internal static bool TryReadInto(JournalEvent e, ReadOnlyMemory<byte> payload, JournalStringCache? strings)
    {
        if (!IsBinary(payload.Span))
        {
            return false;
        }

        var bodyAt = Fill(e, payload.Span, strings);
        e.Body = bodyAt >= 0 ? payload[bodyAt..] : ReadOnlyMemory<byte>.Empty;
        return true;
    }

    private static bool IsBinary(ReadOnlySpan<byte> payload) => !payload.IsEmpty && payload[0] == Binary;

    // Sets every member of the event but its body from a binary frame; returns where the body starts (-1: none).
    private static int Fill(JournalEvent e, ReadOnlySpan<byte> payload, JournalStringCache? strings)
    {
        var present = (Member)BinaryPrimitives.ReadUInt32LittleEndian(payload[1..]);
        var ticks = BinaryPrimitives.ReadInt64LittleEndian(payload[5..]);
        var r = new Reader(payload[HeaderSize..], present, strings);
        e.Kind = r.String(always: true)!;
        e.Id = r.String(always: true, shared: false)!;
        e.Ts = new DateTimeOffset(ticks, TimeSpan.Zero);
        e.Key = r.String(Member.Key);
        e.Team = r.String(Member.Team);
        e.Provider = r.String(Member.Provider);
        e.Account = r.String(Member.Account);
        e.Model = r.String(Member.Model);
        e.Purpose = r.String(Member.Purpose);
        e.Endpoint = r.String(Member.Endpoint);
        e.Decision = r.String(Member.Decision);
        e.Rule = r.String(Member.Rule);
        e.Code = r.String(Member.Code);
        e.PolicyVersion = r.String(Member.PolicyVersion);
        e.MessagesSha256 = r.String(Member.MessagesSha256);
        e.EvalRun = r.String(Member.EvalRun);
        e.Stream = (present & Member.Stream) != 0;
        e.Status = (int?)r.Integer(Member.Status);
        e.PromptTokens = (int?)r.Integer(Member.PromptTokens);
        e.CompletionTokens = (int?)r.Integer(Member.CompletionTokens);
        e.CachedTokens = (int?)r.Integer(Member.CachedTokens);
        e.Estimated = (present & Member.Estimated) != 0;
        e.LatencyMs = r.Double(Member.LatencyMs);
        e.CostNanos = r.Integer(Member.CostNanos);
        e.Actor = r.String(Member.Actor);
        e.EntityType = r.String(Member.EntityType);
        e.EntityId = r.String(Member.EntityId);
        e.Reason = r.String(Member.Reason);
        e.Detail = r.String(Member.Detail);
        // One flag, two integers (each call reads the next); absent from frames of builds before 2026-11-29.
        e.MessagesStart = (int?)r.Integer(Member.Messages) ?? -1;
        e.MessagesLength = (int?)r.Integer(Member.Messages) ?? 0;
        e.FirstTokenMs = r.Double(Member.FirstTokenMs); // absent from frames of builds before 2026-11-29
        e.ResponseId = r.String(Member.ResponseId, shared: false); // absent from frames of builds before 2026-11-29 (evening)
        e.Position = default;
        return (present & Member.Body) != 0 ? payload.Length - r.Rest.Length : -1;
    }

    private static double? Milliseconds(double? value) => value is { } v && double.IsFinite(v) ? Math.Round(v, 3) : null;

    private static Member Present(JournalEvent e, double? latency, double? firstToken)
    {
        var m = Member.None;
        m |= e.Key is null ? 0 : Member.Key;
        m |= e.Team is null ? 0 : Member.Team;
        m |= e.Provider is null ? 0 : Member.Provider;
        m |= e.Account is null ? 0 : Member.Account;
        m |= e.Model is null ? 0 : Member.Model;
        m |= e.Purpose is null ? 0 : Member.Purpose;
        m |= e.Endpoint is null ? 0 : Member.Endpoint;
        m |= e.Decision is null ? 0 : Member.Decision;
        m |= e.Rule is null ? 0 : Member.Rule;
        m |= e.Code is null ? 0 : Member.Code;
        m |= e.PolicyVersion is null ? 0 : Member.PolicyVersion;
        m |= e.MessagesSha256 is null && !e.HasMessagesDigest ? 0 : Member.MessagesSha256;
        m |= e.EvalRun is null ? 0 : Member.EvalRun;
        m |= e.Stream ? Member.Stream : 0;
        m |= e.Status is null ? 0 : Member.Status;
        m |= e.PromptTokens is null ? 0 : Member.PromptTokens;
        m |= e.CompletionTokens is null ? 0 : Member.CompletionTokens;
        m |= e.CachedTokens is null ? 0 : Member.CachedTokens;
        m |= e.Estimated ? Member.Estimated : 0;
        m |= latency is null ? 0 : Member.LatencyMs;
        m |= firstToken is null ? 0 : Member.FirstTokenMs;
        m |= e.ResponseId is null ? 0 : Member.ResponseId;
        m |= e.CostNanos is null ? 0 : Member.CostNanos;
        m |= e.Actor is null ? 0 : Member.Actor;
        m |= e.EntityType is null ? 0 : Member.EntityType;
        m |= e.EntityId is null ? 0 : Member.EntityId;
        m |= e.Reason is null ? 0 : Member.Reason;
        m |= e.Detail is null ? 0 : Member.Detail;
        m |= e.Body.IsEmpty ? 0 : Member.Body;
        m |= e.Body.IsEmpty || e.MessagesStart < 0 || e.MessagesLength <= 0 || e.MessagesStart + e.MessagesLength > e.Body.Length ? 0 : Member.Messages;
        return m;
    }

    // A null string is absent (its presence bit is clear) and writes nothing. A lone surrogate becomes U+FFFD.
    private static void String(IBufferWriter<byte> output, string? value)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length == 64)
        {
            var hex = output.GetSpan(1 + 32);
            if (TryLowerHex(value, hex[1..]))
            {
                hex[0] = (32 << 1) | 1;
                output.Advance(1 + 32);
                return;
            }
        }

        var length = Encoding.UTF8.GetByteCount(value);
        var span = output.GetSpan(5 + length);
        var at = WriteVarint(span, (ulong)length << 1);
        output.Advance(at + Encoding.UTF8.GetBytes(value, span[at..]));
    }

    // Every request event carries the policy version, the same string object until the policy is reloaded: its bytes are
    // found once, not per event, and written as String writes a 64-digit hex string.
    private static void PolicyVersion(IBufferWriter<byte> output, string? value)
    {
        if (value is not { Length: 64 })
        {
            String(output, value); // "none" without a policy
            return;
        }

        if (s_policyVersion is not { } last || !ReferenceEquals(last.Text, value))
        {
            var bytes = new byte[32];
            s_policyVersion = last = new HexString(value, TryLowerHex(value, bytes) ? bytes : null);
        }

        if (last.Bytes is null)
        {
            String(output, value);
            return;
        }

        Hash(output, last.Bytes);
    }

    // A SHA-256 as its 32 bytes, marked to read back as its 64 lowercase hex digits.
    private static void Hash(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        var span = output.GetSpan(1 + 32);
        span[0] = (32 << 1) | 1;
        bytes.CopyTo(span[1..]);
        output.Advance(1 + 32);
    }

    // 64 lowercase hex digits as their 32 bytes: exactly what reads back as the same string.
    private static bool TryLowerHex(string value, Span<byte> destination)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return Convert.FromHexString(value, destination, out _, out var written) == OperationStatus.Done && written == 32;
    }

    private static void Integer(IBufferWriter<byte> output, long? value)
    {
        if (value is not { } v)
        {
            return;
        }

        var span = output.GetSpan(10);
        output.Advance(WriteVarint(span, (ulong)((v << 1) ^ (v >> 63))));
    }

    private static int WriteVarint(Span<byte> span, ulong value)
    {
        var at = 0;
        while (value >= 0x80)
        {
            span[at++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[at++] = (byte)value;
        return at;
    }

    private static JournalEvent ReadJson(ReadOnlySpan<byte> json)
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
            Body = r.TryGetProperty("body", out var b) ? Encoding.UTF8.GetBytes(b.GetRawText()) : ReadOnlyMemory<byte>.Empty,
        };
    }

    private static string? Str(JsonElement r, string name) =>
        r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int? Int(JsonElement r, string name) =>
        r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;

    // Reads the members after the header in the order Write wrote them.
    private ref struct Reader(ReadOnlySpan<byte> data, Member present, JournalStringCache? strings = null)
    {
        private ReadOnlySpan<byte> _data = data;

        public readonly ReadOnlySpan<byte> Rest => _data;

        public string? String(Member member = Member.None, bool always = false, bool shared = true)
        {
            if (!always && (present & member) == 0)
            {
                return null;
            }

            var header = Varint();
            var length = checked((int)(header >> 1));
            var bytes = _data[..length];
            _data = _data[length..];
            var hex = (header & 1) != 0;
            return shared && strings is not null ? strings.Get(bytes, hex) : JournalStringCache.Decode(bytes, hex);
        }

        public long? Integer(Member member)
        {
            if ((present & member) == 0)
            {
                return null;
            }

            var v = Varint();
            return (long)(v >> 1) ^ -(long)(v & 1);
        }

        public double? Double(Member member)
        {
            if ((present & member) == 0)
            {
                return null;
            }

            var v = BinaryPrimitives.ReadDoubleLittleEndian(_data);
            _data = _data[8..];
            return v;
        }

        private ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; ; shift += 7)
            {
                if (shift > 63)
                {
                    throw new InvalidDataException("A journal frame holds a malformed number.");
                }

                var b = _data[0];
                _data = _data[1..];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }
        }
    }

    // A 64-character string and its bytes when it is lowercase hex (null: written as text).
    private sealed record HexString(string Text, byte[]? Bytes);
}
