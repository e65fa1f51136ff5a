// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text.Json;

namespace Charter.Sim;

/// <summary>Writes Anthropic messages, stream events and errors with <see cref="Utf8JsonWriter"/> (WIRE.md §4; no DTOs).</summary>
internal static class AnthropicWriter
{
    /// <summary>Writes a complete <c>message</c> object.</summary>
    public static void WriteMessage(Utf8JsonWriter w, AnthropicMessage m)
    {
        w.WriteStartObject();
        WriteHead(w, m);
        w.WriteStartArray("content"u8);
        if (m.ToolName is null)
        {
            w.WriteStartObject();
            w.WriteString("type"u8, "text"u8);
            WriteText(w, m);
            w.WriteEndObject();
        }
        else
        {
            WriteToolUse(w, m, m.ToolInput);
        }

        w.WriteEndArray();
        w.WriteString("stop_reason"u8, m.StopReason);
        WriteStopSequence(w, m.StopSequence);
        WriteUsage(w, m.InputTokens, m.OutputTokens);
        w.WriteEndObject();
    }

    /// <summary><c>message_start</c>: the message with empty content, no stop reason yet, the input tokens.</summary>
    public static void WriteMessageStart(Utf8JsonWriter w, AnthropicMessage m)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "message_start"u8);
        w.WriteStartObject("message"u8);
        WriteHead(w, m);
        w.WriteStartArray("content"u8);
        w.WriteEndArray();
        w.WriteNull("stop_reason"u8);
        w.WriteNull("stop_sequence"u8);
        WriteUsage(w, m.InputTokens, Math.Min(1, m.OutputTokens));
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary><c>ping</c>.</summary>
    public static void WritePing(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "ping"u8);
        w.WriteEndObject();
    }

    /// <summary><c>content_block_start</c> of block 0: empty text, or the tool_use block with <c>input:{}</c>.</summary>
    public static void WriteBlockStart(Utf8JsonWriter w, AnthropicMessage m)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "content_block_start"u8);
        w.WriteNumber("index"u8, 0);
        w.WritePropertyName("content_block"u8);
        if (m.ToolName is null)
        {
            w.WriteStartObject();
            w.WriteString("type"u8, "text"u8);
            w.WriteString("text"u8, ""u8);
            w.WriteEndObject();
        }
        else
        {
            WriteToolUse(w, m, null);
        }

        w.WriteEndObject();
    }

    /// <summary><c>content_block_delta</c> with a <c>text_delta</c>.</summary>
    public static void WriteTextDelta(Utf8JsonWriter w, ReadOnlySpan<byte> text) => WriteDelta(w, "text_delta"u8, "text"u8, text);

    /// <summary><c>content_block_delta</c> with an <c>input_json_delta</c>.</summary>
    public static void WriteJsonDelta(Utf8JsonWriter w, ReadOnlySpan<byte> partialJson) => WriteDelta(w, "input_json_delta"u8, "partial_json"u8, partialJson);

    /// <summary><c>content_block_stop</c> of block 0.</summary>
    public static void WriteBlockStop(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "content_block_stop"u8);
        w.WriteNumber("index"u8, 0);
        w.WriteEndObject();
    }

    /// <summary><c>message_delta</c>: the stop reason and sequence, and the output tokens.</summary>
    public static void WriteMessageDelta(Utf8JsonWriter w, AnthropicMessage m)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "message_delta"u8);
        w.WriteStartObject("delta"u8);
        w.WriteString("stop_reason"u8, m.StopReason);
        WriteStopSequence(w, m.StopSequence);
        w.WriteEndObject();
        w.WriteStartObject("usage"u8);
        w.WriteNumber("output_tokens"u8, m.OutputTokens);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary><c>message_stop</c>.</summary>
    public static void WriteMessageStop(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "message_stop"u8);
        w.WriteEndObject();
    }

    /// <summary><c>{"type":"error","error":{"type","message"},"request_id"}</c> (also the data of an <c>error</c> event).</summary>
    public static void WriteError(Utf8JsonWriter w, SimError error, string requestId)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "error"u8);
        w.WriteStartObject("error"u8);
        w.WriteString("type"u8, error.Type);
        w.WriteString("message"u8, error.Message);
        w.WriteEndObject();
        w.WriteString("request_id"u8, requestId);
        w.WriteEndObject();
    }

    private static void WriteHead(Utf8JsonWriter w, AnthropicMessage m)
    {
        w.WriteString("id"u8, m.Id);
        w.WriteString("type"u8, "message"u8);
        w.WriteString("role"u8, "assistant"u8);
        w.WriteString("model"u8, m.Model);
    }

    private static void WriteToolUse(Utf8JsonWriter w, AnthropicMessage m, byte[]? input)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "tool_use"u8);
        w.WriteString("id"u8, m.ToolId);
        w.WriteString("name"u8, m.ToolName);
        w.WritePropertyName("input"u8);
        if (input is null)
        {
            w.WriteStartObject();
            w.WriteEndObject();
        }
        else
        {
            w.WriteRawValue(input, skipInputValidation: true);
        }

        w.WriteEndObject();
    }

    private static void WriteDelta(Utf8JsonWriter w, ReadOnlySpan<byte> type, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "content_block_delta"u8);
        w.WriteNumber("index"u8, 0);
        w.WriteStartObject("delta"u8);
        w.WriteString("type"u8, type);
        w.WriteString(name, value);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteStopSequence(Utf8JsonWriter w, string? stopSequence)
    {
        if (stopSequence is null)
        {
            w.WriteNull("stop_sequence"u8);
        }
        else
        {
            w.WriteString("stop_sequence"u8, stopSequence);
        }
    }

    private static void WriteUsage(Utf8JsonWriter w, int inputTokens, int outputTokens)
    {
        w.WriteStartObject("usage"u8);
        w.WriteNumber("input_tokens"u8, inputTokens);
        w.WriteNumber("output_tokens"u8, outputTokens);
        w.WriteNumber("cache_creation_input_tokens"u8, 0);
        w.WriteNumber("cache_read_input_tokens"u8, 0);
        w.WriteEndObject();
    }

    private static void WriteText(Utf8JsonWriter w, AnthropicMessage m)
    {
        var plan = m.Plan;
        var rented = ArrayPool<byte>.Shared.Rent(Math.Max(16, SimText.MaxBytes(plan)));
        try
        {
            var n = Math.Min(SimText.Write(plan, rented), m.TextLength);
            w.WriteString("text"u8, rented.AsSpan(0, n));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
