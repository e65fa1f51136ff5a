// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text.Json;

namespace Charter.Sim;

/// <summary>Writes Responses API objects with <see cref="Utf8JsonWriter"/> (spec schemas <c>Response</c>, <c>OutputMessage</c>,
/// <c>FunctionToolCall</c>, <c>ResponseUsage</c>; no DTOs).</summary>
internal static partial class ResponsesWriter
{
    /// <summary>Writes the <c>response</c> object; <paramref name="final"/> false gives the in-progress one of <c>response.created</c>
    /// (status <c>in_progress</c>, <c>output:[]</c>, no usage).</summary>
    public static void WriteResponse(Utf8JsonWriter w, ResponsesAnswer a, bool final)
    {
        var r = a.Request;
        w.WriteStartObject();
        w.WriteString("id"u8, a.Id);
        w.WriteString("object"u8, "response"u8);
        w.WriteNumber("created_at"u8, a.CreatedAt);
        w.WriteString("status"u8, !final ? "in_progress"u8 : a.Incomplete ? "incomplete"u8 : "completed"u8);
        w.WriteBoolean("background"u8, false);
        if (final && !a.Incomplete)
        {
            w.WriteNumber("completed_at"u8, a.CompletedAt);
        }
        else
        {
            w.WriteNull("completed_at"u8);
        }

        w.WriteNull("error"u8);
        if (final && a.Incomplete)
        {
            w.WriteStartObject("incomplete_details"u8);
            w.WriteString("reason"u8, "max_output_tokens"u8);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("incomplete_details"u8);
        }

        WriteNullable(w, "instructions"u8, r.Instructions);
        WriteNullable(w, "max_output_tokens"u8, r.Chat.MaxTokens > 0 ? r.Chat.MaxTokens : (int?)null);
        WriteNullable(w, "max_tool_calls"u8, r.MaxToolCalls);
        w.WriteString("model"u8, a.Model);
        w.WriteStartArray("output"u8);
        if (final)
        {
            WriteItem(w, a, done: true);
        }

        w.WriteEndArray();
        w.WriteBoolean("parallel_tool_calls"u8, r.ParallelToolCalls ?? true);
        WriteNullable(w, "previous_response_id"u8, r.PreviousResponseId);
        WriteNullable(w, "prompt_cache_key"u8, r.PromptCacheKey);
        w.WritePropertyName("reasoning"u8);
        if (r.Reasoning is { } reasoning)
        {
            w.WriteRawValue(reasoning, skipInputValidation: true);
        }
        else
        {
            w.WriteStartObject();
            w.WriteNull("effort"u8);
            w.WriteNull("summary"u8);
            w.WriteEndObject();
        }

        WriteNullable(w, "safety_identifier"u8, r.SafetyIdentifier);
        w.WriteString("service_tier"u8, "default"u8);
        w.WriteBoolean("store"u8, r.Store ?? true);
        w.WriteNumber("temperature"u8, r.Temperature ?? 1);
        w.WritePropertyName("text"u8);
        if (r.Text is { } text)
        {
            w.WriteRawValue(text, skipInputValidation: true);
        }
        else
        {
            w.WriteStartObject();
            w.WriteStartObject("format"u8);
            w.WriteString("type"u8, "text"u8);
            w.WriteEndObject();
            w.WriteString("verbosity"u8, "medium"u8);
            w.WriteEndObject();
        }

        WriteToolChoice(w, r);
        WriteTools(w, r.Tools);
        w.WriteNumber("top_logprobs"u8, r.Chat.TopLogprobs);
        w.WriteNumber("top_p"u8, r.TopP ?? 1);
        w.WriteString("truncation"u8, r.Truncation ?? "disabled");
        if (final)
        {
            WriteUsage(w, a.InputTokens, a.OutputTokens);
        }

        if (r.User is { } user)
        {
            w.WriteString("user"u8, user);
        }

        w.WritePropertyName("metadata"u8);
        if (r.Metadata is { } metadata)
        {
            w.WriteRawValue(metadata, skipInputValidation: true);
        }
        else
        {
            w.WriteStartObject();
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    /// <summary>The output item: the assistant message, or the function call; <paramref name="done"/> false gives the empty in-progress item.</summary>
    public static void WriteItem(Utf8JsonWriter w, ResponsesAnswer a, bool done)
    {
        w.WriteStartObject();
        w.WriteString("id"u8, a.ItemId);
        if (a.ToolName is { } name)
        {
            w.WriteString("type"u8, "function_call"u8);
            w.WriteString("status"u8, done ? "completed"u8 : "in_progress"u8);
            w.WriteString("arguments"u8, done ? a.ToolArguments : ReadOnlySpan<byte>.Empty);
            w.WriteString("call_id"u8, a.CallId);
            w.WriteString("name"u8, name);
            w.WriteEndObject();
            return;
        }

        w.WriteString("type"u8, "message"u8);
        w.WriteString("status"u8, !done ? "in_progress"u8 : a.Incomplete ? "incomplete"u8 : "completed"u8);
        w.WriteStartArray("content"u8);
        if (done)
        {
            WriteTextPart(w, a, done: true);
        }

        w.WriteEndArray();
        w.WriteString("role"u8, "assistant"u8);
        w.WriteEndObject();
    }

    /// <summary>The <c>output_text</c> part: the whole text (and its log-probabilities when asked), or empty while in progress.</summary>
    public static void WriteTextPart(Utf8JsonWriter w, ResponsesAnswer a, bool done)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "output_text"u8);
        w.WriteStartArray("annotations"u8);
        w.WriteEndArray();
        w.WritePropertyName("logprobs"u8);
        WriteLogprobs(w, a, done, bytes: true);
        if (done)
        {
            WriteText(w, a.Plan);
        }
        else
        {
            w.WriteString("text"u8, ""u8);
        }

        w.WriteEndObject();
    }

    /// <summary><c>{"input_tokens","input_tokens_details","output_tokens","output_tokens_details","total_tokens"}</c>.</summary>
    public static void WriteUsage(Utf8JsonWriter w, int inputTokens, int outputTokens)
    {
        w.WriteStartObject("usage"u8);
        w.WriteNumber("input_tokens"u8, inputTokens);
        w.WriteStartObject("input_tokens_details"u8);
        w.WriteNumber("cached_tokens"u8, 0);
        w.WriteNumber("cache_write_tokens"u8, 0);
        w.WriteEndObject();
        w.WriteNumber("output_tokens"u8, outputTokens);
        w.WriteStartObject("output_tokens_details"u8);
        w.WriteNumber("reasoning_tokens"u8, 0);
        w.WriteEndObject();
        w.WriteNumber("total_tokens"u8, inputTokens + outputTokens);
        w.WriteEndObject();
    }

    /// <summary>The text's log-probabilities (every token) when asked for, else <c>[]</c>.</summary>
    private static void WriteLogprobs(Utf8JsonWriter w, ResponsesAnswer a, bool all, bool bytes)
    {
        if (a.Logprobs && all)
        {
            ChatWriter.WriteLogprobEntries(w, a.Plan, a.TopLogprobs, 0, a.Plan.Count, bytes);
        }
        else
        {
            w.WriteStartArray();
            w.WriteEndArray();
        }
    }

    private static void WriteToolChoice(Utf8JsonWriter w, ResponsesRequest r)
    {
        if (r.ToolChoice == "function")
        {
            w.WriteStartObject("tool_choice"u8);
            w.WriteString("type"u8, "function"u8);
            w.WriteString("name"u8, r.ToolChoiceName);
            w.WriteEndObject();
            return;
        }

        w.WriteString("tool_choice"u8, r.ToolChoice ?? "auto");
    }

    private static void WriteTools(Utf8JsonWriter w, List<ResponsesTool>? tools)
    {
        w.WriteStartArray("tools"u8);
        if (tools is not null)
        {
            foreach (var tool in tools)
            {
                w.WriteStartObject();
                w.WriteString("type"u8, "function"u8);
                w.WriteString("name"u8, tool.Name);
                WriteNullable(w, "description"u8, tool.Description);
                w.WritePropertyName("parameters"u8);
                if (tool.Parameters is { } parameters)
                {
                    w.WriteRawValue(parameters, skipInputValidation: true);
                }
                else
                {
                    w.WriteNullValue();
                }

                w.WriteBoolean("strict"u8, tool.Strict ?? true);
                w.WriteEndObject();
            }
        }

        w.WriteEndArray();
    }

    private static void WriteText(Utf8JsonWriter w, in ChoicePlan plan)
    {
        var rented = ArrayPool<byte>.Shared.Rent(Math.Max(16, SimText.MaxBytes(plan)));
        try
        {
            w.WriteString("text"u8, rented.AsSpan(0, SimText.Write(plan, rented)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static void WriteNullable(Utf8JsonWriter w, ReadOnlySpan<byte> name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteNullable(Utf8JsonWriter w, ReadOnlySpan<byte> name, int? value)
    {
        if (value is { } number)
        {
            w.WriteNumber(name, number);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
