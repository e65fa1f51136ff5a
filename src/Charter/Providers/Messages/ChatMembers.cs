// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Charter.Providers.Anthropic;

namespace Charter.Providers.Messages;

/// <summary>The members of one chat completions object (the completion, a choice, its message, a tool call, its function, an
/// error body) that <see cref="ChatToMessagesAnswer"/> and <see cref="ChatToMessagesError"/> read; slices into that object's
/// own text, absent or null members empty.</summary>
internal struct ChatMembers
{
    public JsonSlice Choices;
    public JsonSlice Message;
    public JsonSlice FinishReason;
    public JsonSlice Content;
    public JsonSlice Refusal;
    public JsonSlice ToolCalls;
    public JsonSlice FunctionCall;
    public JsonSlice Id;
    public JsonSlice Function;
    public JsonSlice Name;
    public JsonSlice Arguments;
    public JsonSlice Error;
    public JsonSlice Detail;

    /// <summary>Indexes the object <paramref name="json"/> (whitespace around it allowed); false when it is not an object.
    /// Throws <see cref="JsonException"/> on bad JSON.</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, out ChatMembers members)
    {
        members = default;
        return !json.IsEmpty && AnthropicJson.TryIndexObject(json, ref members, Target);
    }

    private static ref JsonSlice Target(ref Utf8JsonReader reader, ref ChatMembers m, out bool known)
    {
        known = true;
        if (reader.ValueTextEquals("choices"u8)) { return ref m.Choices; }
        if (reader.ValueTextEquals("message"u8)) { return ref m.Message; }
        if (reader.ValueTextEquals("finish_reason"u8)) { return ref m.FinishReason; }
        if (reader.ValueTextEquals("content"u8)) { return ref m.Content; }
        if (reader.ValueTextEquals("refusal"u8)) { return ref m.Refusal; }
        if (reader.ValueTextEquals("tool_calls"u8)) { return ref m.ToolCalls; }
        if (reader.ValueTextEquals("function_call"u8)) { return ref m.FunctionCall; }
        if (reader.ValueTextEquals("id"u8)) { return ref m.Id; }
        if (reader.ValueTextEquals("function"u8)) { return ref m.Function; }
        if (reader.ValueTextEquals("name"u8)) { return ref m.Name; }
        if (reader.ValueTextEquals("arguments"u8)) { return ref m.Arguments; }
        if (reader.ValueTextEquals("error"u8)) { return ref m.Error; }
        if (reader.ValueTextEquals("detail"u8)) { return ref m.Detail; }
        known = false;
        return ref m.Choices;
    }
}
