// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Charter.Providers.Anthropic;

namespace Charter.Providers.Responses;

/// <summary>Indexes the top-level members of a Responses request body (one pass, no allocation).</summary>
internal static class ResponsesRequestReader
{
    /// <summary>Fills <paramref name="fields"/>; false when the body is not a JSON object. Throws <see cref="JsonException"/> on bad JSON.</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, out ResponsesRequestFields fields)
    {
        fields = default;
        return AnthropicJson.TryIndexObject(json, ref fields, Target);
    }

    private static ref JsonSlice Target(ref Utf8JsonReader reader, ref ResponsesRequestFields f, out bool known)
    {
        known = true;
        if (reader.ValueTextEquals("model"u8)) { return ref f.Model; }
        if (reader.ValueTextEquals("instructions"u8)) { return ref f.Instructions; }
        if (reader.ValueTextEquals("input"u8)) { return ref f.Input; }
        if (reader.ValueTextEquals("max_output_tokens"u8)) { return ref f.MaxOutputTokens; }
        if (reader.ValueTextEquals("max_tool_calls"u8)) { return ref f.MaxToolCalls; }
        if (reader.ValueTextEquals("temperature"u8)) { return ref f.Temperature; }
        if (reader.ValueTextEquals("top_p"u8)) { return ref f.TopP; }
        if (reader.ValueTextEquals("top_logprobs"u8)) { return ref f.TopLogprobs; }
        if (reader.ValueTextEquals("stream"u8)) { return ref f.Stream; }
        if (reader.ValueTextEquals("user"u8)) { return ref f.User; }
        if (reader.ValueTextEquals("safety_identifier"u8)) { return ref f.SafetyIdentifier; }
        if (reader.ValueTextEquals("prompt_cache_key"u8)) { return ref f.PromptCacheKey; }
        if (reader.ValueTextEquals("metadata"u8)) { return ref f.Metadata; }
        if (reader.ValueTextEquals("parallel_tool_calls"u8)) { return ref f.ParallelToolCalls; }
        if (reader.ValueTextEquals("tools"u8)) { return ref f.Tools; }
        if (reader.ValueTextEquals("tool_choice"u8)) { return ref f.ToolChoice; }
        if (reader.ValueTextEquals("text"u8)) { return ref f.Text; }
        if (reader.ValueTextEquals("include"u8)) { return ref f.Include; }
        if (reader.ValueTextEquals("store"u8)) { return ref f.Store; }
        if (reader.ValueTextEquals("truncation"u8)) { return ref f.Truncation; }
        if (reader.ValueTextEquals("previous_response_id"u8)) { return ref f.PreviousResponseId; }
        if (reader.ValueTextEquals("conversation"u8)) { return ref f.Conversation; }
        if (reader.ValueTextEquals("background"u8)) { return ref f.Background; }
        if (reader.ValueTextEquals("prompt"u8)) { return ref f.Prompt; }
        if (reader.ValueTextEquals("reasoning"u8)) { return ref f.Reasoning; }
        known = false;
        return ref f.Model;
    }
}
