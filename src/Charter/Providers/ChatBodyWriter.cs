// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Charter.Providers.Anthropic;

namespace Charter.Providers;

/// <summary>Members of a Chat Completions body that the translations into it (from a Responses body, from a Messages body)
/// write alike, from raw values of the client's body.</summary>
internal static class ChatBodyWriter
{
    /// <summary>Copies a number as <paramref name="name"/>; false when the value is present and not a number (nothing written).</summary>
    public static bool TryCopyNumber(Utf8JsonWriter w, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return true;
        }

        if (!AnthropicJson.TryGetDouble(value, out _))
        {
            return false;
        }

        w.WritePropertyName(name);
        w.WriteRawValue(value, skipInputValidation: true);
        return true;
    }

    /// <summary>Copies <c>stream</c>, with <c>stream_options.include_usage</c> when it is true (the usage ends the translated
    /// stream); false when the value is present and not a boolean (nothing written).</summary>
    public static bool TryWriteStream(Utf8JsonWriter w, ReadOnlySpan<byte> stream)
    {
        if (stream.IsEmpty)
        {
            return true;
        }

        if (!AnthropicJson.TryGetBoolean(stream, out var streaming))
        {
            return false;
        }

        w.WriteBoolean("stream"u8, streaming);
        if (streaming)
        {
            w.WriteStartObject("stream_options"u8);
            w.WriteBoolean("include_usage"u8, true);
            w.WriteEndObject();
        }

        return true;
    }

    /// <summary>Writes <c>"tool_choice":{"type":"function","function":{"name":…}}</c> from a raw JSON string.</summary>
    public static void WriteFunctionChoice(Utf8JsonWriter w, ReadOnlySpan<byte> name)
    {
        w.WriteStartObject("tool_choice"u8);
        w.WriteString("type"u8, "function"u8);
        w.WriteStartObject("function"u8);
        AnthropicJson.WriteString(w, "name"u8, name);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
