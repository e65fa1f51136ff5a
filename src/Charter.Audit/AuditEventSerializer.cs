// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;
using System.Text.Json;
using Charter.Audit.Json;

namespace Charter.Audit;

/// <summary>Converts <see cref="AuditEvent"/> to and from its leaf bytes (RFC 8785 canonical JSON).</summary>
public static class AuditEventSerializer
{
    private enum Field
    {
        Kind, Ts, Id, RequestId, Key, Team, Purpose, Provider, Account, Model, Decision, Rule, Code,
        PolicyVersion, MessagesSha256, Usage, Status, EvalRun, EntityType, EntityId, FromState, ToState,
        Event, Actor, Reason, Measures, Deadline, Detail,
    }

    private static readonly (byte[] Name, Field Field)[] s_members = SortedMembers();
    private static readonly byte[] s_completionTokens = CanonicalJsonWriter.EncodeName("completion_tokens");
    private static readonly byte[] s_estimated = CanonicalJsonWriter.EncodeName("estimated");
    private static readonly byte[] s_promptTokens = CanonicalJsonWriter.EncodeName("prompt_tokens");

    [ThreadStatic]
    private static CanonicalJsonWriter? t_writer;

    /// <summary>Returns the canonical JSON bytes of <paramref name="e"/> (the Merkle leaf).</summary>
    public static byte[] Serialize(AuditEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var writer = t_writer ??= new CanonicalJsonWriter(1024);
        writer.Reset();
        Write(writer, e);
        return writer.ToArray();
    }

    /// <summary>Writes the canonical JSON of <paramref name="e"/> after what <paramref name="writer"/> holds (a batch's leaves back
    /// to back); the leaf is the bytes from the length before the call to the length after it.</summary>
    internal static void WriteLeaf(CanonicalJsonWriter writer, AuditEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        writer.BeginDocument();
        Write(writer, e);
    }

    /// <summary>Parses leaf bytes back into an event; unknown members are ignored.</summary>
    /// <returns>The event, or null when the bytes are not an audit event object.</returns>
    public static AuditEvent? Deserialize(ReadOnlySpan<byte> leaf)
    {
        try
        {
            var reader = new Utf8JsonReader(leaf);
            using var doc = JsonDocument.ParseValue(ref reader);
            return FromElement(doc.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    internal static AuditEvent? FromElement(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("kind", out var kind)
            || !root.TryGetProperty("ts", out var ts)
            || !root.TryGetProperty("id", out var id))
        {
            return null;
        }

        AuditUsage? usage = null;
        if (root.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object)
        {
            usage = new AuditUsage(
                u.TryGetProperty("prompt_tokens", out var pt) ? pt.GetInt64() : 0,
                u.TryGetProperty("completion_tokens", out var ctk) ? ctk.GetInt64() : 0,
                u.TryGetProperty("estimated", out var est) && est.ValueKind == JsonValueKind.True);
        }

        List<string>? measures = null;
        if (root.TryGetProperty("measures", out var m) && m.ValueKind == JsonValueKind.Array)
        {
            measures = [];
            foreach (var item in m.EnumerateArray())
            {
                measures.Add(item.GetString() ?? string.Empty);
            }
        }

        return new AuditEvent
        {
            Kind = kind.GetString()!,
            Ts = ParseTime(ts.GetString()!),
            Id = id.GetString()!,
            RequestId = Str(root, "request_id"),
            Key = Str(root, "key"),
            Team = Str(root, "team"),
            Purpose = Str(root, "purpose"),
            Provider = Str(root, "provider"),
            Account = Str(root, "account"),
            Model = Str(root, "model"),
            Decision = Str(root, "decision"),
            Rule = Str(root, "rule"),
            Code = Str(root, "code"),
            PolicyVersion = Str(root, "policy_version"),
            MessagesSha256 = Str(root, "messages_sha256"),
            Usage = usage,
            Status = root.TryGetProperty("status", out var st) ? st.GetInt32() : null,
            EvalRun = Str(root, "eval_run"),
            EntityType = Str(root, "entity_type"),
            EntityId = Str(root, "entity_id"),
            FromState = Str(root, "from_state"),
            ToState = Str(root, "to_state"),
            Event = Str(root, "event"),
            Actor = Str(root, "actor"),
            Reason = Str(root, "reason"),
            Measures = measures,
            Deadline = Str(root, "deadline") is { } d ? ParseTime(d) : null,
            Detail = Str(root, "detail"),
        };
    }

    internal static string FormatTime(DateTimeOffset t) => UtcTimestamp.Format(t);

    internal static DateTimeOffset ParseTime(string s) =>
        DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static string? Str(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static void Write(CanonicalJsonWriter w, AuditEvent e)
    {
        w.WriteStartObject();
        foreach (var (name, field) in s_members)
        {
            switch (field)
            {
                case Field.Kind: Str(w, name, e.Kind); break;
                case Field.Ts:
                    w.WriteEncodedPropertyName(name);
                    w.WriteTimestampValue(e.Ts);
                    break;
                case Field.Id: Str(w, name, e.Id); break;
                case Field.RequestId: Str(w, name, e.RequestId); break;
                case Field.Key: Str(w, name, e.Key); break;
                case Field.Team: Str(w, name, e.Team); break;
                case Field.Purpose: Str(w, name, e.Purpose); break;
                case Field.Provider: Str(w, name, e.Provider); break;
                case Field.Account: Str(w, name, e.Account); break;
                case Field.Model: Str(w, name, e.Model); break;
                case Field.Decision: Str(w, name, e.Decision); break;
                case Field.Rule: Str(w, name, e.Rule); break;
                case Field.Code: Str(w, name, e.Code); break;
                case Field.PolicyVersion: Str(w, name, e.PolicyVersion); break;
                case Field.MessagesSha256: Str(w, name, e.MessagesSha256); break;
                case Field.EvalRun: Str(w, name, e.EvalRun); break;
                case Field.EntityType: Str(w, name, e.EntityType); break;
                case Field.EntityId: Str(w, name, e.EntityId); break;
                case Field.FromState: Str(w, name, e.FromState); break;
                case Field.ToState: Str(w, name, e.ToState); break;
                case Field.Event: Str(w, name, e.Event); break;
                case Field.Actor: Str(w, name, e.Actor); break;
                case Field.Reason: Str(w, name, e.Reason); break;
                case Field.Detail: Str(w, name, e.Detail); break;
                case Field.Deadline:
                    if (e.Deadline is { } deadline)
                    {
                        w.WriteEncodedPropertyName(name);
                        w.WriteTimestampValue(deadline);
                    }

                    break;
                case Field.Status:
                    if (e.Status is { } status)
                    {
                        w.WriteEncodedPropertyName(name);
                        w.WriteNumberValue(status);
                    }

                    break;
                case Field.Usage:
                    if (e.Usage is { } usage)
                    {
                        // Members already in code-unit order: completion_tokens < estimated < prompt_tokens.
                        w.WriteEncodedPropertyName(name);
                        w.WriteStartObject();
                        w.WriteEncodedPropertyName(s_completionTokens);
                        w.WriteNumberValue(usage.CompletionTokens);
                        w.WriteEncodedPropertyName(s_estimated);
                        w.WriteBooleanValue(usage.Estimated);
                        w.WriteEncodedPropertyName(s_promptTokens);
                        w.WriteNumberValue(usage.PromptTokens);
                        w.WriteEndObject();
                    }

                    break;
                case Field.Measures:
                    if (e.Measures is { } measures)
                    {
                        w.WriteEncodedPropertyName(name);
                        w.WriteStartArray();
                        for (var i = 0; i < measures.Count; i++)
                        {
                            w.WriteStringValue(measures[i]);
                        }

                        w.WriteEndArray();
                    }

                    break;
                default:
                    throw new InvalidOperationException($"Unhandled field {field}.");
            }
        }

        w.WriteEndObject();
    }

    private static void Str(CanonicalJsonWriter w, byte[] name, string? value)
    {
        if (value is not null)
        {
            w.WriteEncodedPropertyName(name);
            w.WriteStringValue(value);
        }
    }

    private static (byte[], Field)[] SortedMembers()
    {
        (string Name, Field Field)[] members =
        [
            ("kind", Field.Kind), ("ts", Field.Ts), ("id", Field.Id), ("request_id", Field.RequestId),
            ("key", Field.Key), ("team", Field.Team), ("purpose", Field.Purpose), ("provider", Field.Provider),
            ("account", Field.Account), ("model", Field.Model), ("decision", Field.Decision), ("rule", Field.Rule),
            ("code", Field.Code), ("policy_version", Field.PolicyVersion), ("messages_sha256", Field.MessagesSha256),
            ("usage", Field.Usage), ("status", Field.Status), ("eval_run", Field.EvalRun), ("entity_type", Field.EntityType),
            ("entity_id", Field.EntityId), ("from_state", Field.FromState), ("to_state", Field.ToState),
            ("event", Field.Event), ("actor", Field.Actor), ("reason", Field.Reason), ("measures", Field.Measures),
            ("deadline", Field.Deadline), ("detail", Field.Detail),
        ];

        // RFC 8785 §3.2.3: members sorted by their UTF-16 code units.
        Array.Sort(members, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return Array.ConvertAll(members, static m => (CanonicalJsonWriter.EncodeName(m.Name), m.Field));
    }
}
