// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;

namespace Charter.Sim;

/// <summary><see cref="Utf8JsonReader"/> helpers shared by the request parsers.</summary>
internal static class JsonRead
{
    /// <summary>Appends the unescaped UTF-8 value of the current string token.</summary>
    public static void AppendString(ref Utf8JsonReader reader, PooledBufferWriter destination)
    {
        if (!reader.HasValueSequence && !reader.ValueIsEscaped)
        {
            destination.Write(reader.ValueSpan);
            return;
        }

        var max = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        var span = destination.GetSpan(max);
        var written = reader.CopyString(span);
        destination.Advance(written);
    }

    /// <summary>Reads an optional integer property value (the reader is on the property name).</summary>
    public static SimError? ReadInt(ref Utf8JsonReader reader, string param, ref int value)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var parsed))
        {
            return SimError.InvalidType(param, "an integer");
        }

        value = parsed;
        return null;
    }

    /// <summary>Reads an optional number property value (the reader is on the property name).</summary>
    public static SimError? ReadDouble(ref Utf8JsonReader reader, string param, ref double value)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var parsed))
        {
            return SimError.InvalidType(param, "a number");
        }

        value = parsed;
        return null;
    }

    /// <summary>Reads an optional number property value within [<paramref name="min"/>, <paramref name="max"/>] (the reader is on
    /// the property name); out of range is OpenAI's 400 <c>decimal_below_min_value</c> / <c>decimal_above_max_value</c>.</summary>
    public static SimError? ReadNumberInRange(ref Utf8JsonReader reader, string param, double min, double max, out double? value)
    {
        value = null;
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var number))
        {
            return SimError.InvalidType(param, "a number");
        }

        if (number < min)
        {
            return ResponsesErrors.DecimalBelowMin(param, min, number);
        }

        if (number > max)
        {
            return ResponsesErrors.DecimalAboveMax(param, max, number);
        }

        value = number;
        return null;
    }

    /// <summary>Reads <c>stream_options</c> (null or <c>{"include_usage":bool}</c>; other members skipped) of chat and legacy completions
    /// (the reader is on the property name).</summary>
    public static SimError? ReadStreamOptions(ref Utf8JsonReader reader, ref bool present, ref bool includeUsage)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return SimError.InvalidType("stream_options", "an object");
        }

        present = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("include_usage"u8))
            {
                var error = ReadBool(ref reader, "stream_options.include_usage", ref includeUsage);
                if (error is not null)
                {
                    return error;
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return null;
    }

    /// <summary>Reads an optional boolean property value (the reader is on the property name).</summary>
    public static SimError? ReadBool(ref Utf8JsonReader reader, string param, ref bool value)
    {
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.True:
                value = true;
                return null;
            case JsonTokenType.False:
                value = false;
                return null;
            default:
                return SimError.InvalidType(param, "a boolean");
        }
    }
}
