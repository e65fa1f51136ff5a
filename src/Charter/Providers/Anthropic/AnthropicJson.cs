// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Charter.Providers.Anthropic;

/// <summary>Small allocation-free JSON helpers shared by the Anthropic translators.</summary>
internal static class AnthropicJson
{
    private const int StackLimit = 256;

    /// <summary>Writer options: compact, and only what JSON requires is escaped (non-ASCII text stays UTF-8).</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The slice of the value the reader stands on (a string with its quotes); leaves the reader on the value's last token.</summary>
    public static JsonSlice ValueSlice(ref Utf8JsonReader reader)
    {
        var start = (int)reader.TokenStartIndex;
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            reader.Skip();
        }

        return new JsonSlice(start, (int)reader.BytesConsumed - start);
    }

    /// <summary>Indexes the members of the object <paramref name="json"/>: each member <paramref name="target"/> knows gets its
    /// value as a slice (null as none); the others are skipped. One pass, no allocation. False when <paramref name="json"/>
    /// is not an object; throws <see cref="JsonException"/> on bad JSON.</summary>
    public static bool TryIndexObject<T>(ReadOnlySpan<byte> json, ref T fields, MemberTarget<T> target)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            ref var slot = ref target(ref reader, ref fields, out var known);
            reader.Read();
            var slice = ValueSlice(ref reader);
            if (known)
            {
                slot = reader.TokenType == JsonTokenType.Null ? default : slice;
            }
        }

        return true;
    }

    /// <summary>A reader standing on the first token of <paramref name="value"/>.</summary>
    public static Utf8JsonReader ReaderOn(ReadOnlySpan<byte> value)
    {
        var reader = new Utf8JsonReader(value);
        reader.Read();
        return reader;
    }

    /// <summary>A raw value as text for an error message: a string unescaped, anything else as its JSON, "(none)" when absent.</summary>
    public static string TextOf(ReadOnlySpan<byte> value)
    {
        if (!IsString(value))
        {
            return value.IsEmpty ? "(none)" : System.Text.Encoding.UTF8.GetString(value);
        }

        var reader = ReaderOn(value);
        return reader.GetString() ?? string.Empty;
    }

    /// <summary>Whether <paramref name="json"/> is one whole JSON object (surrounding whitespace allowed).</summary>
    public static bool IsWholeObject(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Whether a raw value is a JSON string.</summary>
    public static bool IsString(ReadOnlySpan<byte> value) => !value.IsEmpty && value[0] == (byte)'"';

    /// <summary>Whether a raw value is a JSON object.</summary>
    public static bool IsObject(ReadOnlySpan<byte> value) => !value.IsEmpty && value[0] == (byte)'{';

    /// <summary>Whether a raw value is a JSON array.</summary>
    public static bool IsArray(ReadOnlySpan<byte> value) => !value.IsEmpty && value[0] == (byte)'[';

    /// <summary>Whether a raw value is the string <paramref name="text"/>.</summary>
    public static bool StringEquals(ReadOnlySpan<byte> value, ReadOnlySpan<byte> text)
    {
        if (!IsString(value))
        {
            return false;
        }

        var reader = ReaderOn(value);
        return reader.ValueTextEquals(text);
    }

    /// <summary>Whether a raw string value is empty.</summary>
    public static bool IsEmptyString(ReadOnlySpan<byte> value) => value.Length == 2 && value[0] == (byte)'"';

    /// <summary>Reads a raw value as an <see cref="int"/>.</summary>
    public static bool TryGetInt32(ReadOnlySpan<byte> value, out int number)
    {
        number = 0;
        if (value.IsEmpty || !(value[0] == (byte)'-' || char.IsAsciiDigit((char)value[0])))
        {
            return false;
        }

        var reader = ReaderOn(value);
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out number);
    }

    /// <summary>Reads a raw value as a <see cref="double"/>.</summary>
    public static bool TryGetDouble(ReadOnlySpan<byte> value, out double number)
    {
        number = 0;
        if (value.IsEmpty || !(value[0] == (byte)'-' || char.IsAsciiDigit((char)value[0])))
        {
            return false;
        }

        var reader = ReaderOn(value);
        return reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out number);
    }

    /// <summary>Reads a raw value as a boolean.</summary>
    public static bool TryGetBoolean(ReadOnlySpan<byte> value, out bool flag)
    {
        flag = value.SequenceEqual("true"u8);
        return flag || value.SequenceEqual("false"u8);
    }

    /// <summary>Writes the string the reader stands on (a string or property name token) as a string value, re-escaped.</summary>
    public static void WriteStringValue(Utf8JsonWriter writer, ref Utf8JsonReader reader) => WriteUnescaped(writer, ref reader, asPropertyName: false);

    /// <summary>Writes a raw JSON string value (with its quotes) as a string value, re-escaped.</summary>
    public static void WriteStringValue(Utf8JsonWriter writer, ReadOnlySpan<byte> stringValue)
    {
        var reader = ReaderOn(stringValue);
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new InvalidOperationException("Expected a JSON string.");
        }

        WriteStringValue(writer, ref reader);
    }

    /// <summary>Writes a property whose value is a raw JSON string (with its quotes), re-escaped.</summary>
    public static void WriteString(Utf8JsonWriter writer, ReadOnlySpan<byte> propertyName, ReadOnlySpan<byte> stringValue)
    {
        writer.WritePropertyName(propertyName);
        WriteStringValue(writer, stringValue);
    }

    /// <summary>Writes the property name the reader stands on, re-escaped.</summary>
    public static void WritePropertyName(Utf8JsonWriter writer, ref Utf8JsonReader reader) => WriteUnescaped(writer, ref reader, asPropertyName: true);

    // The reader's string or name, unescaped (on the stack when short) and written again by the writer, which escapes it
    // its own way; as a property name or as a string value.
    private static void WriteUnescaped(Utf8JsonWriter writer, ref Utf8JsonReader reader, bool asPropertyName)
    {
        if (!reader.ValueIsEscaped)
        {
            Write(writer, reader.ValueSpan, asPropertyName);
            return;
        }

        var length = reader.ValueSpan.Length;
        byte[]? rented = null;
        var buffer = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = reader.CopyString(buffer);
            Write(writer, buffer[..written], asPropertyName);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        static void Write(Utf8JsonWriter writer, ReadOnlySpan<byte> utf8, bool asPropertyName)
        {
            if (asPropertyName)
            {
                writer.WritePropertyName(utf8);
            }
            else
            {
                writer.WriteStringValue(utf8);
            }
        }
    }

    /// <summary>Appends the unescaped text of the string the reader stands on to <paramref name="sink"/>.</summary>
    public static void AppendUnescaped(ref Utf8JsonReader reader, PooledByteWriter sink)
    {
        if (!reader.ValueIsEscaped)
        {
            sink.Append(reader.ValueSpan);
            return;
        }

        var span = sink.GetSpan(reader.ValueSpan.Length);
        sink.Advance(reader.CopyString(span));
    }

    /// <summary>Appends the unescaped text of a raw JSON string value (with its quotes) to <paramref name="sink"/>.</summary>
    public static void AppendUnescaped(ReadOnlySpan<byte> stringValue, PooledByteWriter sink)
    {
        var reader = ReaderOn(stringValue);
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new InvalidOperationException("Expected a JSON string.");
        }

        AppendUnescaped(ref reader, sink);
    }

    /// <summary>Copies the value the reader stands on token by token (compact output); leaves the reader on its last token.</summary>
    public static void CopyValue(ref Utf8JsonReader reader, Utf8JsonWriter writer)
    {
        var depth = reader.CurrentDepth;
        while (true)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    writer.WriteStartObject();
                    break;
                case JsonTokenType.EndObject:
                    writer.WriteEndObject();
                    break;
                case JsonTokenType.StartArray:
                    writer.WriteStartArray();
                    break;
                case JsonTokenType.EndArray:
                    writer.WriteEndArray();
                    break;
                case JsonTokenType.PropertyName:
                    WritePropertyName(writer, ref reader);
                    break;
                case JsonTokenType.String:
                    WriteStringValue(writer, ref reader);
                    break;
                case JsonTokenType.Number:
                    writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                    break;
                case JsonTokenType.True:
                    writer.WriteBooleanValue(true);
                    break;
                case JsonTokenType.False:
                    writer.WriteBooleanValue(false);
                    break;
                case JsonTokenType.Null:
                    writer.WriteNullValue();
                    break;
                default:
                    throw new InvalidOperationException("Unexpected JSON token.");
            }

            if (reader.CurrentDepth == depth && reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
            {
                return;
            }

            if (!reader.Read())
            {
                throw new InvalidOperationException("Truncated JSON value.");
            }
        }
    }
}
