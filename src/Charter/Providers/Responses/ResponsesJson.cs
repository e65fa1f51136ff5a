// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Charter.Providers.Anthropic;

namespace Charter.Providers.Responses;

/// <summary>Writes the Responses API objects the chat translators produce (spec <c>Response</c>, <c>OutputMessage</c>,
/// <c>FunctionToolCall</c>, <c>ResponseUsage</c>), shaped like the simulator's (<c>Charter.Sim.ResponsesWriter</c>).</summary>
internal static class ResponsesJson
{
    /// <summary>The slice of member <paramref name="name"/> of the object <paramref name="json"/> (empty when absent, null or not an object).</summary>
    public static JsonSlice Member(ReadOnlySpan<byte> json, ReadOnlySpan<byte> name)
    {
        if (!AnthropicJson.IsObject(json))
        {
            return default;
        }

        var reader = new Utf8JsonReader(json);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(name);
            reader.Read();
            var slice = AnthropicJson.ValueSlice(ref reader);
            if (match)
            {
                return reader.TokenType == JsonTokenType.Null ? default : slice;
            }
        }

        return default;
    }

    /// <summary>The id suffix shared by a response's output items: the response id without its <c>resp_</c> prefix.</summary>
    public static string ItemSuffix(string responseId) => responseId.StartsWith("resp_", StringComparison.Ordinal) ? responseId[5..] : responseId;

    /// <summary>Writes the response up to and including the opening of <c>output</c>; the caller writes the items, then
    /// <see cref="WriteResponseTail"/>.</summary>
    public static void WriteResponseHead(Utf8JsonWriter w, in ResponsesEcho echo, ReadOnlySpan<byte> model, ResponseStatus status, ReadOnlySpan<byte> incompleteReason)
    {
        w.WriteStartObject();
        w.WriteString("id"u8, echo.ResponseId ?? "resp_");
        w.WriteString("object"u8, "response"u8);
        w.WriteNumber("created_at"u8, echo.CreatedAt);
        w.WriteString("status"u8, status switch
        {
            ResponseStatus.Completed => "completed"u8,
            ResponseStatus.Incomplete => "incomplete"u8,
            _ => "in_progress"u8,
        });
        w.WriteBoolean("background"u8, false);
        if (status == ResponseStatus.Completed)
        {
            w.WriteNumber("completed_at"u8, echo.CompletedAt > 0 ? echo.CompletedAt : echo.CreatedAt);
        }
        else
        {
            w.WriteNull("completed_at"u8);
        }

        w.WriteNull("error"u8);
        if (status == ResponseStatus.Incomplete)
        {
            w.WriteStartObject("incomplete_details"u8);
            w.WriteString("reason"u8, incompleteReason);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("incomplete_details"u8);
        }

        WriteRawOr(w, "instructions"u8, echo.Instructions, null);
        WriteRawOr(w, "max_output_tokens"u8, echo.MaxOutputTokens, null);
        WriteRawOr(w, "max_tool_calls"u8, echo.MaxToolCalls, null);
        if (!model.IsEmpty)
        {
            w.WriteString("model"u8, model);
        }
        else
        {
            w.WriteString("model"u8, echo.Model ?? string.Empty);
        }

        w.WriteStartArray("output"u8);
    }

    /// <summary>Closes <c>output</c> and writes the rest of the response: the echoed request members and <paramref name="usage"/> when given.</summary>
    public static void WriteResponseTail(Utf8JsonWriter w, in ResponsesEcho echo, in ChatUsage? usage)
    {
        w.WriteEndArray();
        w.WriteBoolean("parallel_tool_calls"u8, echo.ParallelToolCalls);
        w.WriteNull("previous_response_id"u8);
        WriteRawOr(w, "prompt_cache_key"u8, echo.PromptCacheKey, null);
        w.WriteStartObject("reasoning"u8);
        w.WriteNull("effort"u8);
        w.WriteNull("summary"u8);
        w.WriteEndObject();
        WriteRawOr(w, "safety_identifier"u8, echo.SafetyIdentifier, null);
        w.WriteString("service_tier"u8, "default"u8);
        w.WriteBoolean("store"u8, echo.Store);
        WriteRawOr(w, "temperature"u8, echo.Temperature, "1"u8);
        WriteRawOr(w, "text"u8, echo.Text, """{"format":{"type":"text"},"verbosity":"medium"}"""u8);
        WriteRawOr(w, "tool_choice"u8, echo.ToolChoice, "\"auto\""u8);
        WriteTools(w, echo.Tools);
        WriteRawOr(w, "top_logprobs"u8, echo.TopLogprobs, "0"u8);
        WriteRawOr(w, "top_p"u8, echo.TopP, "1"u8);
        WriteRawOr(w, "truncation"u8, echo.Truncation, "\"disabled\""u8);
        if (usage is { } u)
        {
            WriteUsage(w, u);
        }

        if (echo.User is { } user)
        {
            w.WritePropertyName("user"u8);
            w.WriteRawValue(user, skipInputValidation: true);
        }

        WriteRawOr(w, "metadata"u8, echo.Metadata, "{}"u8);
        w.WriteEndObject();
    }

    /// <summary>An assistant <c>message</c> item: <c>content</c> empty while in progress, else the <c>output_text</c> part (and a
    /// <c>refusal</c> part when there is one).</summary>
    public static void WriteMessageItem(Utf8JsonWriter w, ReadOnlySpan<byte> id, ReadOnlySpan<byte> status, bool done, ReadOnlySpan<byte> text, ReadOnlySpan<byte> refusal, ReadOnlySpan<byte> rawLogprobs)
    {
        w.WriteStartObject();
        w.WriteString("id"u8, id);
        w.WriteString("type"u8, "message"u8);
        w.WriteString("status"u8, status);
        w.WriteStartArray("content"u8);
        if (done)
        {
            if (!text.IsEmpty || refusal.IsEmpty)
            {
                WriteTextPart(w, text, rawLogprobs);
            }

            if (!refusal.IsEmpty)
            {
                w.WriteStartObject();
                w.WriteString("type"u8, "refusal"u8);
                w.WriteString("refusal"u8, refusal);
                w.WriteEndObject();
            }
        }

        w.WriteEndArray();
        w.WriteString("role"u8, "assistant"u8);
        w.WriteEndObject();
    }

    /// <summary>The <c>output_text</c> part (<paramref name="rawLogprobs"/>: a raw array, or empty for <c>[]</c>).</summary>
    public static void WriteTextPart(Utf8JsonWriter w, ReadOnlySpan<byte> text, ReadOnlySpan<byte> rawLogprobs)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "output_text"u8);
        w.WriteStartArray("annotations"u8);
        w.WriteEndArray();
        w.WritePropertyName("logprobs"u8);
        if (AnthropicJson.IsArray(rawLogprobs))
        {
            var reader = AnthropicJson.ReaderOn(rawLogprobs);
            AnthropicJson.CopyValue(ref reader, w);
        }
        else
        {
            w.WriteStartArray();
            w.WriteEndArray();
        }

        w.WriteString("text"u8, text);
        w.WriteEndObject();
    }

    /// <summary>A <c>function_call</c> item.</summary>
    public static void WriteFunctionCallItem(Utf8JsonWriter w, ReadOnlySpan<byte> id, ReadOnlySpan<byte> status, ReadOnlySpan<byte> arguments, ReadOnlySpan<byte> callId, ReadOnlySpan<byte> name)
    {
        w.WriteStartObject();
        w.WriteString("id"u8, id);
        w.WriteString("type"u8, "function_call"u8);
        w.WriteString("status"u8, status);
        w.WriteString("arguments"u8, arguments);
        w.WriteString("call_id"u8, callId);
        w.WriteString("name"u8, name);
        w.WriteEndObject();
    }

    /// <summary><c>usage</c> (spec <c>ResponseUsage</c>).</summary>
    public static void WriteUsage(Utf8JsonWriter w, in ChatUsage u)
    {
        w.WriteStartObject("usage"u8);
        w.WriteNumber("input_tokens"u8, u.PromptTokens);
        w.WriteStartObject("input_tokens_details"u8);
        w.WriteNumber("cached_tokens"u8, u.CachedTokens);
        w.WriteNumber("cache_write_tokens"u8, 0);
        w.WriteEndObject();
        w.WriteNumber("output_tokens"u8, u.CompletionTokens);
        w.WriteStartObject("output_tokens_details"u8);
        w.WriteNumber("reasoning_tokens"u8, u.ReasoningTokens);
        w.WriteEndObject();
        w.WriteNumber("total_tokens"u8, u.TotalTokens);
        w.WriteEndObject();
    }

    /// <summary>Maps a chat <c>finish_reason</c> to the response status and <c>incomplete_details.reason</c>.</summary>
    public static ResponseStatus StatusOf(ReadOnlySpan<byte> rawFinishReason, out ReadOnlySpan<byte> incompleteReason)
    {
        if (AnthropicJson.StringEquals(rawFinishReason, "length"u8))
        {
            incompleteReason = "max_output_tokens"u8;
            return ResponseStatus.Incomplete;
        }

        if (AnthropicJson.StringEquals(rawFinishReason, "content_filter"u8))
        {
            incompleteReason = "content_filter"u8;
            return ResponseStatus.Incomplete;
        }

        incompleteReason = default;
        return ResponseStatus.Completed;
    }

    // The request's tools in the Responses form the spec's FunctionTool requires (type, name, description, parameters, strict).
    private static void WriteTools(Utf8JsonWriter w, byte[]? tools)
    {
        w.WriteStartArray("tools"u8);
        if (tools is not null)
        {
            var reader = AnthropicJson.ReaderOn(tools);
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var tool = AnthropicJson.ValueSlice(ref reader).Of(tools);
                if (!ResponsesInputItem.TryRead(tool, out var t) || !AnthropicJson.StringEquals(t.Type.Of(tool), "function"u8) || !AnthropicJson.IsString(t.Name.Of(tool)))
                {
                    continue;
                }

                w.WriteStartObject();
                w.WriteString("type"u8, "function"u8);
                AnthropicJson.WriteString(w, "name"u8, t.Name.Of(tool));
                if (AnthropicJson.IsString(t.Description.Of(tool)))
                {
                    AnthropicJson.WriteString(w, "description"u8, t.Description.Of(tool));
                }
                else
                {
                    w.WriteNull("description"u8);
                }

                w.WritePropertyName("parameters"u8);
                if (AnthropicJson.IsObject(t.Parameters.Of(tool)))
                {
                    w.WriteRawValue(t.Parameters.Of(tool), skipInputValidation: true);
                }
                else
                {
                    w.WriteNullValue();
                }

                w.WriteBoolean("strict"u8, !t.Strict.Of(tool).SequenceEqual("false"u8));
                w.WriteEndObject();
            }
        }

        w.WriteEndArray();
    }

    private static void WriteRawOr(Utf8JsonWriter w, ReadOnlySpan<byte> name, byte[]? raw, ReadOnlySpan<byte> fallback)
    {
        w.WritePropertyName(name);
        if (raw is not null)
        {
            w.WriteRawValue(raw, skipInputValidation: true);
        }
        else if (fallback.IsEmpty)
        {
            w.WriteNullValue();
        }
        else
        {
            w.WriteRawValue(fallback, skipInputValidation: true);
        }
    }
}
