// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;

namespace Charter.Streaming;

/// <summary>Reads the top-level <c>usage</c> object of a completion or chunk without allocating.</summary>
public static class UsageReader
{
    /// <summary>Finds <c>"usage":{…}</c> at the top level of <paramref name="json"/>; false when absent or null.</summary>
    /// <remarks>
    /// Providers put <c>usage</c> last, so the usual case is read from the last <c>"usage"</c> in the text: when its object
    /// is followed only by the closing brace of the document, it is a member of the top-level object (a member name
    /// follows '{' or ',', which tells it from the text of a string). Anything else (usage elsewhere, a
    /// nested one) goes through a reader over the whole document, member by member. The tail read saves parsing the
    /// choices, which are most of a completion's bytes, and a stream chunk ending in <c>"usage":null</c> is settled there
    /// too.
    /// </remarks>
    public static bool TryRead(ReadOnlySpan<byte> json, out Usage usage)
    {
        usage = default;
        // Cheap pre-check: most stream chunks carry no usage object at all.
        var at = json.LastIndexOf("\"usage\""u8);
        if (at < 0)
        {
            return false;
        }

        try
        {
            return TryReadLast(json, at, out usage) switch
            {
                Tail.Read => true,
                Tail.Null => false,
                _ => TryReadTopLevel(json, out usage),
            };
        }
        catch (JsonException)
        {
            usage = default;
            return false;
        }
    }

    /// <summary>Reads the <c>usage</c> object of the top-level member <paramref name="member"/> of <paramref name="json"/>
    /// (a Responses stream's <c>response.completed</c> event holds it at <c>response.usage</c>); false when absent or null.</summary>
    public static bool TryReadMember(ReadOnlySpan<byte> json, ReadOnlySpan<byte> member, out Usage usage)
    {
        usage = default;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var found = reader.ValueTextEquals(member);
                reader.Read();
                if (!found)
                {
                    reader.Skip();
                    continue;
                }

                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    return false;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isUsage = reader.ValueTextEquals("usage"u8);
                    reader.Read();
                    if (isUsage)
                    {
                        return reader.TokenType == JsonTokenType.StartObject && ReadUsageObject(ref reader, out usage);
                    }

                    reader.Skip();
                }

                return false;
            }
        }
        catch (JsonException)
        {
            usage = default;
        }

        return false;
    }

    // JSON's insignificant whitespace.
    private static ReadOnlySpan<byte> Whitespace => " \t\r\n"u8;

    private enum Tail
    {
        Unknown,
        Read,
        Null,
    }

    private static Tail TryReadLast(ReadOnlySpan<byte> json, int at, out Usage usage)
    {
        usage = default;
        // A member name follows '{' or ','; this also rules out the text of an escaped quote inside a string (\"usage").
        var before = json[..at].TrimEnd(Whitespace);
        if (before.IsEmpty || (before[^1] != (byte)',' && before[^1] != (byte)'{'))
        {
            return Tail.Unknown;
        }

        var rest = json[(at + "\"usage\"".Length)..].TrimStart(Whitespace);
        if (rest.IsEmpty || rest[0] != (byte)':')
        {
            return Tail.Unknown;
        }

        rest = rest[1..].TrimStart(Whitespace);
        if (rest.StartsWith("null"u8))
        {
            // "usage":null on every chunk of a stream but the last (stream_options.include_usage).
            return IsDocumentEnd(rest[4..]) ? Tail.Null : Tail.Unknown;
        }

        if (rest.IsEmpty || rest[0] != (byte)'{')
        {
            return Tail.Unknown;
        }

        var reader = new Utf8JsonReader(rest);
        reader.Read();
        if (ReadUsageObject(ref reader, out usage) && IsDocumentEnd(rest[(int)reader.BytesConsumed..]))
        {
            return Tail.Read;
        }

        usage = default;
        return Tail.Unknown;
    }

    // What follows is only members with plain values (OpenAI sends service_tier and system_fingerprint after usage,
    // stream chunks an obfuscation string), then the closing brace of the document: so the object that held usage is the
    // top-level one. An object or array among them is not followed here (Unknown: the whole document is read instead).
    private static bool IsDocumentEnd(ReadOnlySpan<byte> rest)
    {
        while (true)
        {
            rest = rest.TrimStart(Whitespace);
            if (rest.IsEmpty || rest[0] != (byte)',')
            {
                break;
            }

            rest = rest[1..].TrimStart(Whitespace);
            if (!SkipString(ref rest))
            {
                return false;
            }

            rest = rest.TrimStart(Whitespace);
            if (rest.IsEmpty || rest[0] != (byte)':')
            {
                return false;
            }

            rest = rest[1..].TrimStart(Whitespace);
            if (rest.IsEmpty || rest[0] is (byte)'{' or (byte)'[')
            {
                return false;
            }

            if (rest[0] == (byte)'"')
            {
                if (!SkipString(ref rest))
                {
                    return false;
                }
            }
            else
            {
                var end = rest.IndexOfAny(",} \t\r\n"u8);
                if (end <= 0)
                {
                    return false;
                }

                rest = rest[end..];
            }
        }

        rest = rest.TrimEnd(Whitespace);
        return rest.Length == 1 && rest[0] == (byte)'}';
    }

    // Moves past a JSON string that starts at rest[0].
    private static bool SkipString(ref ReadOnlySpan<byte> rest)
    {
        if (rest.IsEmpty || rest[0] != (byte)'"')
        {
            return false;
        }

        var i = 1;
        while (true)
        {
            var next = rest[i..].IndexOfAny((byte)'"', (byte)'\\');
            if (next < 0)
            {
                return false;
            }

            i += next;
            if (rest[i] == (byte)'"')
            {
                rest = rest[(i + 1)..];
                return true;
            }

            i += 2; // an escape: the backslash and the character it escapes
            if (i >= rest.Length)
            {
                return false;
            }
        }
    }

    private static bool TryReadTopLevel(ReadOnlySpan<byte> json, out Usage usage)
    {
        usage = default;
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                reader.Skip();
                continue;
            }

            reader.Read();
            return reader.TokenType == JsonTokenType.StartObject && ReadUsageObject(ref reader, out usage);
        }

        return false;
    }

    // The reader stands on the usage object's StartObject; returns with it on the matching EndObject.
    private static bool ReadUsageObject(ref Utf8JsonReader reader, out Usage usage)
    {
        usage = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("prompt_tokens"u8) || reader.ValueTextEquals("input_tokens"u8))
            {
                reader.Read();
                reader.TryGetInt32(out usage.PromptTokens);
            }
            else if (reader.ValueTextEquals("completion_tokens"u8) || reader.ValueTextEquals("output_tokens"u8))
            {
                reader.Read();
                reader.TryGetInt32(out usage.CompletionTokens);
            }
            else if (reader.ValueTextEquals("prompt_tokens_details"u8) || reader.ValueTextEquals("input_tokens_details"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var cached = reader.ValueTextEquals("cached_tokens"u8);
                        reader.Read();
                        if (cached && reader.TokenType == JsonTokenType.Number)
                        {
                            reader.TryGetInt32(out usage.CachedTokens);
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            usage = default;
            return false;
        }

        usage.Present = true;
        return true;
    }
}
