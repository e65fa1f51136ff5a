// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;

namespace Charter.Sim;

/// <summary>The data of the Responses API's stream events (spec <c>ResponseStreamEvent</c>): <c>{"type","sequence_number",…}</c>.</summary>
internal static partial class ResponsesWriter
{
    /// <summary><c>response.created</c>, <c>response.in_progress</c> (the in-progress response), <c>response.completed</c> or
    /// <c>response.incomplete</c> (the final one, with usage).</summary>
    public static void WriteResponseEvent(Utf8JsonWriter w, ReadOnlySpan<byte> type, int sequence, ResponsesAnswer a, bool final)
    {
        Start(w, type, sequence);
        w.WritePropertyName("response"u8);
        WriteResponse(w, a, final);
        w.WriteEndObject();
    }

    /// <summary><c>response.output_item.added</c> (the empty item) or <c>response.output_item.done</c> (the whole item).</summary>
    public static void WriteItemEvent(Utf8JsonWriter w, ReadOnlySpan<byte> type, int sequence, ResponsesAnswer a, bool done)
    {
        Start(w, type, sequence);
        w.WriteNumber("output_index"u8, 0);
        w.WritePropertyName("item"u8);
        WriteItem(w, a, done);
        w.WriteEndObject();
    }

    /// <summary><c>response.content_part.added</c> (empty text) or <c>response.content_part.done</c> (the whole text).</summary>
    public static void WritePartEvent(Utf8JsonWriter w, ReadOnlySpan<byte> type, int sequence, ResponsesAnswer a, bool done)
    {
        StartInItem(w, type, sequence, a);
        w.WriteNumber("content_index"u8, 0);
        w.WritePropertyName("part"u8);
        WriteTextPart(w, a, done);
        w.WriteEndObject();
    }

    /// <summary><c>response.output_text.delta</c> carrying token <paramref name="step"/> (and its log-probability when asked).</summary>
    public static void WriteTextDelta(Utf8JsonWriter w, int sequence, ResponsesAnswer a, int step)
    {
        StartInItem(w, "response.output_text.delta"u8, sequence, a);
        w.WriteNumber("content_index"u8, 0);
        w.WriteString("delta"u8, SimText.Token(a.Plan, step));
        w.WritePropertyName("logprobs"u8);
        if (a.Logprobs)
        {
            ChatWriter.WriteLogprobEntries(w, a.Plan, a.TopLogprobs, step, step + 1, bytes: false);
        }
        else
        {
            w.WriteStartArray();
            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    /// <summary><c>response.output_text.done</c>: the whole text and its log-probabilities (without <c>bytes</c>, like the deltas).</summary>
    public static void WriteTextDone(Utf8JsonWriter w, int sequence, ResponsesAnswer a)
    {
        StartInItem(w, "response.output_text.done"u8, sequence, a);
        w.WriteNumber("content_index"u8, 0);
        WriteText(w, a.Plan);
        w.WritePropertyName("logprobs"u8);
        WriteLogprobs(w, a, all: true, bytes: false);
        w.WriteEndObject();
    }

    /// <summary><c>response.function_call_arguments.delta</c> with piece <paramref name="piece"/> of the arguments.</summary>
    public static void WriteArgumentsDelta(Utf8JsonWriter w, int sequence, ResponsesAnswer a, int piece)
    {
        StartInItem(w, "response.function_call_arguments.delta"u8, sequence, a);
        w.WriteString("delta"u8, a.ToolPiece(piece));
        w.WriteEndObject();
    }

    /// <summary><c>response.function_call_arguments.done</c>: the function name and the whole arguments.</summary>
    public static void WriteArgumentsDone(Utf8JsonWriter w, int sequence, ResponsesAnswer a)
    {
        StartInItem(w, "response.function_call_arguments.done"u8, sequence, a);
        w.WriteString("name"u8, a.ToolName);
        w.WriteString("arguments"u8, a.ToolArguments);
        w.WriteEndObject();
    }

    /// <summary>The <c>error</c> event: <c>{"type":"error","code","message","param","sequence_number"}</c>.</summary>
    public static void WriteErrorEvent(Utf8JsonWriter w, int sequence, SimError error)
    {
        Start(w, "error"u8, sequence);
        w.WriteString("code"u8, error.Type);
        w.WriteString("message"u8, error.Message);
        w.WriteNull("param"u8);
        w.WriteEndObject();
    }

    private static void Start(Utf8JsonWriter w, ReadOnlySpan<byte> type, int sequence)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, type);
        w.WriteNumber("sequence_number"u8, sequence);
    }

    private static void StartInItem(Utf8JsonWriter w, ReadOnlySpan<byte> type, int sequence, ResponsesAnswer a)
    {
        Start(w, type, sequence);
        w.WriteString("item_id"u8, a.ItemId);
        w.WriteNumber("output_index"u8, 0);
    }
}
