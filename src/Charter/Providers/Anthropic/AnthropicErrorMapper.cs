// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;
using System.Text.Json;

namespace Charter.Providers.Anthropic;

/// <summary>Anthropic error envelopes → OpenAI error objects (WIRE.md §4, §5).</summary>
internal static class AnthropicErrorMapper
{
    /// <summary>The status the client gets: 529 (overloaded) becomes 503, which OpenAI clients know to retry; others are kept.</summary>
    public static int ClientStatus(int status) => status == 529 ? 503 : status;

    /// <summary>Finds <c>error.type</c> and <c>error.message</c> in an Anthropic error envelope (or a bare error object).</summary>
    /// <returns>False when the body is not JSON with an <c>error</c> object.</returns>
    public static bool TryReadEnvelope(ReadOnlySpan<byte> body, out JsonSlice type, out JsonSlice message)
    {
        type = default;
        message = default;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isError = reader.ValueTextEquals("error"u8);
                reader.Read();
                var slice = AnthropicJson.ValueSlice(ref reader);
                if (isError && reader.TokenType == JsonTokenType.EndObject)
                {
                    ReadErrorObject(slice.Of(body), slice.Start, out type, out message);
                    return true;
                }
            }

            return false;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Reads <c>type</c> and <c>message</c> (string members only) of an error object; slices are offset by <paramref name="offset"/>.</summary>
    public static void ReadErrorObject(ReadOnlySpan<byte> errorObject, int offset, out JsonSlice type, out JsonSlice message)
    {
        type = default;
        message = default;
        var reader = AnthropicJson.ReaderOn(errorObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("type"u8);
            var isMessage = !isType && reader.ValueTextEquals("message"u8);
            reader.Read();
            var slice = AnthropicJson.ValueSlice(ref reader);
            if (reader.TokenType == JsonTokenType.String)
            {
                if (isType)
                {
                    type = slice with { Start = slice.Start + offset };
                }
                else if (isMessage)
                {
                    message = slice with { Start = slice.Start + offset };
                }
            }
        }
    }

    /// <summary>
    /// Writes <c>{"error":{"message","type","param":null,"code"}}</c>: the upstream's message and type are kept; the code is
    /// OpenAI's for the type (rate_limit_exceeded, overloaded, invalid_api_key, permission_denied, model_not_found, else the type).
    /// A missing type is derived from <paramref name="status"/>, a missing message names the status.
    /// </summary>
    /// <param name="writer">Receives the error object.</param>
    /// <param name="document">The document <paramref name="type"/> and <paramref name="message"/> point into.</param>
    /// <param name="type">The raw <c>error.type</c> string, or absent.</param>
    /// <param name="message">The raw <c>error.message</c> string, or absent.</param>
    /// <param name="status">The upstream HTTP status (0 for an error event mid-stream).</param>
    public static void WriteOpenAiError(Utf8JsonWriter writer, ReadOnlySpan<byte> document, JsonSlice type, JsonSlice message, int status)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("error"u8);
        if (message.Present)
        {
            AnthropicJson.WriteString(writer, "message"u8, message.Of(document));
        }
        else
        {
            writer.WriteString("message"u8, GenericMessage(status));
        }

        if (type.Present)
        {
            var raw = type.Of(document);
            AnthropicJson.WriteString(writer, "type"u8, raw);
            writer.WriteNull("param"u8);
            var code = CodeFor(raw);
            if (code.IsEmpty)
            {
                AnthropicJson.WriteString(writer, "code"u8, raw);
            }
            else
            {
                writer.WriteString("code"u8, code);
            }
        }
        else
        {
            var derived = TypeForStatus(status);
            writer.WriteString("type"u8, derived);
            writer.WriteNull("param"u8);
            writer.WriteString("code"u8, CodeFor(derived));
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static string GenericMessage(int status) => status > 0
        ? string.Create(CultureInfo.InvariantCulture, $"The upstream provider (Anthropic) answered HTTP {status} without a readable error.")
        : "The upstream provider (Anthropic) reported an error mid-stream.";

    /// <summary>OpenAI's code for an Anthropic error type (raw JSON string); empty when the type itself is the code.</summary>
    private static ReadOnlySpan<byte> CodeFor(ReadOnlySpan<byte> rawType)
    {
        var reader = AnthropicJson.ReaderOn(rawType);
        return CodeForText(ref reader);
    }

    private static string CodeFor(string type) => type switch
    {
        "rate_limit_error" => "rate_limit_exceeded",
        "overloaded_error" => "overloaded",
        "authentication_error" => "invalid_api_key",
        "permission_error" => "permission_denied",
        "not_found_error" => "model_not_found",
        _ => type,
    };

    private static ReadOnlySpan<byte> CodeForText(scoped ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("rate_limit_error"u8))
        {
            return "rate_limit_exceeded"u8;
        }

        if (reader.ValueTextEquals("overloaded_error"u8))
        {
            return "overloaded"u8;
        }

        if (reader.ValueTextEquals("authentication_error"u8))
        {
            return "invalid_api_key"u8;
        }

        if (reader.ValueTextEquals("permission_error"u8))
        {
            return "permission_denied"u8;
        }

        if (reader.ValueTextEquals("not_found_error"u8))
        {
            return "model_not_found"u8;
        }

        return default;
    }

    private static string TypeForStatus(int status) => status switch
    {
        400 => "invalid_request_error",
        401 => "authentication_error",
        402 => "billing_error",
        403 => "permission_error",
        404 => "not_found_error",
        408 or 504 => "timeout_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        529 => "overloaded_error",
        _ => "api_error",
    };
}
