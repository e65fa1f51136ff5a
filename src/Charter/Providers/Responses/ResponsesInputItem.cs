// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Charter.Providers.Anthropic;

namespace Charter.Providers.Responses;

/// <summary>The members of one <c>input</c> item (or content part, or tool) that the translators read; slices into the item's own text.</summary>
internal struct ResponsesInputItem
{
    public JsonSlice Type;
    public JsonSlice Role;
    public JsonSlice Content;
    public JsonSlice CallId;
    public JsonSlice Name;
    public JsonSlice Arguments;
    public JsonSlice Output;
    public JsonSlice Text;
    public JsonSlice ImageUrl;
    public JsonSlice FileId;
    public JsonSlice Detail;
    public JsonSlice Description;
    public JsonSlice Parameters;
    public JsonSlice Strict;
    public JsonSlice Schema;
    public JsonSlice Format;

    /// <summary>Indexes the object <paramref name="json"/>; false when it is not an object.</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, out ResponsesInputItem item)
    {
        item = default;
        return !json.IsEmpty && AnthropicJson.TryIndexObject(json, ref item, Target);
    }

    private static ref JsonSlice Target(ref Utf8JsonReader reader, ref ResponsesInputItem i, out bool known)
    {
        known = true;
        if (reader.ValueTextEquals("type"u8)) { return ref i.Type; }
        if (reader.ValueTextEquals("role"u8)) { return ref i.Role; }
        if (reader.ValueTextEquals("content"u8)) { return ref i.Content; }
        if (reader.ValueTextEquals("call_id"u8)) { return ref i.CallId; }
        if (reader.ValueTextEquals("name"u8)) { return ref i.Name; }
        if (reader.ValueTextEquals("arguments"u8)) { return ref i.Arguments; }
        if (reader.ValueTextEquals("output"u8)) { return ref i.Output; }
        if (reader.ValueTextEquals("text"u8)) { return ref i.Text; }
        if (reader.ValueTextEquals("image_url"u8)) { return ref i.ImageUrl; }
        if (reader.ValueTextEquals("file_id"u8)) { return ref i.FileId; }
        if (reader.ValueTextEquals("detail"u8)) { return ref i.Detail; }
        if (reader.ValueTextEquals("description"u8)) { return ref i.Description; }
        if (reader.ValueTextEquals("parameters"u8)) { return ref i.Parameters; }
        if (reader.ValueTextEquals("strict"u8)) { return ref i.Strict; }
        if (reader.ValueTextEquals("schema"u8)) { return ref i.Schema; }
        if (reader.ValueTextEquals("format"u8)) { return ref i.Format; }
        known = false;
        return ref i.Type;
    }
}
