// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Charter.Errors;
using Charter.Providers.Anthropic;

namespace Charter.Providers.Messages;

/// <summary>An upstream error answer (OpenAI-shaped, or any body) → Anthropic's error body
/// <c>{"type":"error","error":{"type":…,"message":…}}</c> and the status the client gets.</summary>
/// <remarks>
/// <para>
/// The type follows the upstream status: 400 invalid_request_error, 401 authentication_error, 402 billing_error,
/// 403 permission_error, 404 not_found_error, 413 request_too_large, 429 rate_limit_error, 503 and 529 overloaded_error,
/// 504 timeout_error, other 5xx api_error, other 4xx invalid_request_error. The client's status is the upstream's for 4xx and
/// 503; any other 5xx becomes 502 (the fault is the upstream's, not the gateway's), and so does a status that is not an
/// error at all (below 400 or above 599), with type api_error.
/// </para>
/// <para>
/// The message is the first string of <c>error.message</c> (OpenAI, Azure), <c>error</c> as a string (Ollama),
/// <c>message</c> or <c>detail</c> (FastAPI servers such as vLLM); otherwise one naming the status.
/// </para>
/// </remarks>
public static class ChatToMessagesError
{
    /// <summary>Writes Anthropic's error body for an upstream error answer and returns the client's status.</summary>
    /// <param name="status">The upstream HTTP status.</param>
    /// <param name="body">The upstream body (may be empty or not JSON).</param>
    /// <param name="output">Receives the Anthropic error body.</param>
    /// <returns>The HTTP status for the client.</returns>
    public static int Translate(int status, ReadOnlySpan<byte> body, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var isError = status is >= 400 and <= 599;
        var message = isError ? MessageOf(body) : default;
        using (var w = new Utf8JsonWriter(output, AnthropicJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("type"u8, "error"u8);
            w.WriteStartObject("error"u8);
            w.WriteString("type"u8, isError ? AnthropicErrorWriter.TypeFor(status) : "api_error");
            if (message.Present)
            {
                AnthropicJson.WriteString(w, "message"u8, message.Of(body));
            }
            else
            {
                w.WriteString("message"u8, string.Create(CultureInfo.InvariantCulture, $"The upstream provider answered HTTP {status} without a readable error."));
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return status is (>= 400 and <= 499) or 503 ? status : 502;
    }

    /// <summary>The raw message string of an error body (see the remarks), or absent.</summary>
    internal static JsonSlice MessageOf(ReadOnlySpan<byte> body)
    {
        try
        {
            if (!ChatMembers.TryRead(body, out var top))
            {
                return default;
            }

            var error = top.Error.Of(body);
            if (AnthropicJson.IsString(error))
            {
                return NonEmpty(top.Error, body);
            }

            if (AnthropicJson.IsObject(error))
            {
                var inner = MessageMember(error);
                if (inner.Present)
                {
                    return inner with { Start = inner.Start + top.Error.Start };
                }
            }

            var message = MessageMember(body);
            return message.Present ? message : NonEmpty(top.Detail, body);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    // The member "message" of an object, when a non-empty string.
    private static JsonSlice MessageMember(ReadOnlySpan<byte> json)
    {
        var reader = AnthropicJson.ReaderOn(json);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isMessage = reader.ValueTextEquals("message"u8);
            reader.Read();
            var slice = AnthropicJson.ValueSlice(ref reader);
            if (isMessage)
            {
                return NonEmpty(slice, json);
            }
        }

        return default;
    }

    private static JsonSlice NonEmpty(JsonSlice slice, ReadOnlySpan<byte> json) =>
        AnthropicJson.IsString(slice.Of(json)) && !AnthropicJson.IsEmptyString(slice.Of(json)) ? slice : default;
}
