// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Charter.Providers.Anthropic;

namespace Charter.Providers.Messages;

/// <summary>The members of one Messages request object (the body, a message, a content block, an image source, a tool, the
/// tool choice, the metadata) that <see cref="MessagesToChatRequest"/> reads; slices into that object's own text, absent or
/// null members empty.</summary>
internal struct MessagesMembers
{
    public JsonSlice Type;
    public JsonSlice Role;
    public JsonSlice Content;
    public JsonSlice Text;
    public JsonSlice Source;
    public JsonSlice Id;
    public JsonSlice Name;
    public JsonSlice Input;
    public JsonSlice ToolUseId;
    public JsonSlice MediaType;
    public JsonSlice Data;
    public JsonSlice Url;
    public JsonSlice Description;
    public JsonSlice InputSchema;
    public JsonSlice DisableParallelToolUse;
    public JsonSlice UserId;
    public JsonSlice Messages;
    public JsonSlice System;
    public JsonSlice MaxTokens;
    public JsonSlice Temperature;
    public JsonSlice TopP;
    public JsonSlice StopSequences;
    public JsonSlice Stream;
    public JsonSlice Metadata;
    public JsonSlice Tools;
    public JsonSlice ToolChoice;
    public JsonSlice McpServers;

    /// <summary>Indexes the object <paramref name="json"/> (whitespace around it allowed); false when it is not an object.
    /// Throws <see cref="JsonException"/> on bad JSON.</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, out MessagesMembers members)
    {
        members = default;
        return !json.IsEmpty && AnthropicJson.TryIndexObject(json, ref members, Target);
    }

    private static ref JsonSlice Target(ref Utf8JsonReader reader, ref MessagesMembers m, out bool known)
    {
        known = true;
        if (reader.ValueTextEquals("type"u8)) { return ref m.Type; }
        if (reader.ValueTextEquals("text"u8)) { return ref m.Text; }
        if (reader.ValueTextEquals("role"u8)) { return ref m.Role; }
        if (reader.ValueTextEquals("content"u8)) { return ref m.Content; }
        if (reader.ValueTextEquals("source"u8)) { return ref m.Source; }
        if (reader.ValueTextEquals("id"u8)) { return ref m.Id; }
        if (reader.ValueTextEquals("name"u8)) { return ref m.Name; }
        if (reader.ValueTextEquals("input"u8)) { return ref m.Input; }
        if (reader.ValueTextEquals("tool_use_id"u8)) { return ref m.ToolUseId; }
        if (reader.ValueTextEquals("media_type"u8)) { return ref m.MediaType; }
        if (reader.ValueTextEquals("data"u8)) { return ref m.Data; }
        if (reader.ValueTextEquals("url"u8)) { return ref m.Url; }
        if (reader.ValueTextEquals("description"u8)) { return ref m.Description; }
        if (reader.ValueTextEquals("input_schema"u8)) { return ref m.InputSchema; }
        if (reader.ValueTextEquals("disable_parallel_tool_use"u8)) { return ref m.DisableParallelToolUse; }
        if (reader.ValueTextEquals("user_id"u8)) { return ref m.UserId; }
        if (reader.ValueTextEquals("messages"u8)) { return ref m.Messages; }
        if (reader.ValueTextEquals("system"u8)) { return ref m.System; }
        if (reader.ValueTextEquals("max_tokens"u8)) { return ref m.MaxTokens; }
        if (reader.ValueTextEquals("temperature"u8)) { return ref m.Temperature; }
        if (reader.ValueTextEquals("top_p"u8)) { return ref m.TopP; }
        if (reader.ValueTextEquals("stop_sequences"u8)) { return ref m.StopSequences; }
        if (reader.ValueTextEquals("stream"u8)) { return ref m.Stream; }
        if (reader.ValueTextEquals("metadata"u8)) { return ref m.Metadata; }
        if (reader.ValueTextEquals("tools"u8)) { return ref m.Tools; }
        if (reader.ValueTextEquals("tool_choice"u8)) { return ref m.ToolChoice; }
        if (reader.ValueTextEquals("mcp_servers"u8)) { return ref m.McpServers; }
        known = false;
        return ref m.Type;
    }
}
