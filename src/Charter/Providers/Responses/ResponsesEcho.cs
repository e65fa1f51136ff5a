// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Charter.Providers.Anthropic;

namespace Charter.Providers.Responses;

/// <summary>What a translated <c>Response</c> echoes of its request (the members the spec's <c>Response</c> carries besides the
/// output), and its id and times. Raw members are kept as the client sent them (compact JSON, copied once per request).</summary>
public readonly struct ResponsesEcho
{
    /// <summary>The response id (e.g. <c>"resp_" + the chat completion id</c>); output item ids are derived from it.</summary>
    public string ResponseId { get; init; }

    /// <summary>Unix seconds for <c>created_at</c>.</summary>
    public long CreatedAt { get; init; }

    /// <summary>Unix seconds for <c>completed_at</c> of a completed response; 0 means <see cref="CreatedAt"/>.</summary>
    public long CompletedAt { get; init; }

    /// <summary>The request's <c>model</c>: the response's <c>model</c> when the upstream answer names none.</summary>
    public string? Model { get; init; }

    /// <summary>Raw <c>instructions</c> (a JSON string), or null.</summary>
    public byte[]? Instructions { get; init; }

    /// <summary>Raw <c>max_output_tokens</c> (a number), or null.</summary>
    public byte[]? MaxOutputTokens { get; init; }

    /// <summary>Raw <c>max_tool_calls</c> (a number), or null.</summary>
    public byte[]? MaxToolCalls { get; init; }

    /// <summary>Raw <c>temperature</c>, or null (echoed as 1).</summary>
    public byte[]? Temperature { get; init; }

    /// <summary>Raw <c>top_p</c>, or null (echoed as 1).</summary>
    public byte[]? TopP { get; init; }

    /// <summary>Raw <c>top_logprobs</c>, or null (echoed as 0).</summary>
    public byte[]? TopLogprobs { get; init; }

    /// <summary>Raw <c>tools</c> (the Responses form), or null (echoed as <c>[]</c>).</summary>
    public byte[]? Tools { get; init; }

    /// <summary>Raw <c>tool_choice</c>, or null (echoed as <c>"auto"</c>).</summary>
    public byte[]? ToolChoice { get; init; }

    /// <summary>Raw <c>text</c>, or null (echoed as <c>{"format":{"type":"text"},"verbosity":"medium"}</c>).</summary>
    public byte[]? Text { get; init; }

    /// <summary>Raw <c>truncation</c> (a JSON string), or null (echoed as <c>"disabled"</c>).</summary>
    public byte[]? Truncation { get; init; }

    /// <summary>Raw <c>metadata</c>, or null (echoed as <c>{}</c>).</summary>
    public byte[]? Metadata { get; init; }

    /// <summary>Raw <c>user</c> (a JSON string), or null (not echoed).</summary>
    public byte[]? User { get; init; }

    /// <summary>Raw <c>safety_identifier</c> (a JSON string), or null.</summary>
    public byte[]? SafetyIdentifier { get; init; }

    /// <summary>Raw <c>prompt_cache_key</c> (a JSON string), or null.</summary>
    public byte[]? PromptCacheKey { get; init; }

    /// <summary>The request's <c>parallel_tool_calls</c> (default true).</summary>
    public bool ParallelToolCalls { get; init; }

    /// <summary>The request's <c>store</c> (default true). Echoed only: nothing is stored by the translating path.</summary>
    public bool Store { get; init; }

    /// <summary>Reads what to echo from a Responses request body; a body that cannot be read gives the defaults.</summary>
    /// <param name="responsesBody">The client's body (UTF-8 JSON), normally one <see cref="ResponsesToChatRequest"/> accepted.</param>
    /// <param name="responseId">The response id.</param>
    /// <param name="createdAt">Unix seconds for <c>created_at</c> (and <c>completed_at</c> unless set later).</param>
    public static ResponsesEcho FromRequest(ReadOnlySpan<byte> responsesBody, string responseId, long createdAt)
    {
        ArgumentNullException.ThrowIfNull(responseId);
        ResponsesRequestFields f;
        try
        {
            if (!ResponsesRequestReader.TryRead(responsesBody, out f))
            {
                f = default;
            }
        }
        catch (JsonException)
        {
            f = default;
        }

        var json = responsesBody;
        var model = f.Model.Of(json);
        return new ResponsesEcho
        {
            ResponseId = responseId,
            CreatedAt = createdAt,
            CompletedAt = createdAt,
            Model = AnthropicJson.IsString(model) ? AnthropicJson.ReaderOn(model).GetString() : null,
            Instructions = Raw(json, f.Instructions, JsonKind.String),
            MaxOutputTokens = Raw(json, f.MaxOutputTokens, JsonKind.Number),
            MaxToolCalls = Raw(json, f.MaxToolCalls, JsonKind.Number),
            Temperature = Raw(json, f.Temperature, JsonKind.Number),
            TopP = Raw(json, f.TopP, JsonKind.Number),
            TopLogprobs = Raw(json, f.TopLogprobs, JsonKind.Number),
            Tools = Raw(json, f.Tools, JsonKind.Array),
            ToolChoice = Raw(json, f.ToolChoice, JsonKind.Any),
            Text = Raw(json, f.Text, JsonKind.Object),
            Truncation = Raw(json, f.Truncation, JsonKind.String),
            Metadata = Raw(json, f.Metadata, JsonKind.Object),
            User = Raw(json, f.User, JsonKind.String),
            SafetyIdentifier = Raw(json, f.SafetyIdentifier, JsonKind.String),
            PromptCacheKey = Raw(json, f.PromptCacheKey, JsonKind.String),
            ParallelToolCalls = !f.ParallelToolCalls.Of(json).SequenceEqual("false"u8),
            Store = !f.Store.Of(json).SequenceEqual("false"u8),
        };
    }

    private enum JsonKind
    {
        Any,
        String,
        Number,
        Object,
        Array,
    }

    // A compact copy of the member (re-written so that raw echoes are one line), or null when absent or of the wrong kind.
    private static byte[]? Raw(ReadOnlySpan<byte> json, JsonSlice slice, JsonKind kind)
    {
        var value = slice.Of(json);
        var ok = kind switch
        {
            JsonKind.String => AnthropicJson.IsString(value),
            JsonKind.Number => AnthropicJson.TryGetDouble(value, out _),
            JsonKind.Object => AnthropicJson.IsObject(value),
            JsonKind.Array => AnthropicJson.IsArray(value),
            _ => !value.IsEmpty,
        };
        if (!ok)
        {
            return null;
        }

        if (kind is JsonKind.Number)
        {
            return value.ToArray();
        }

        using var buffer = new PooledByteWriter(value.Length + 16);
        using (var w = new Utf8JsonWriter(buffer, AnthropicJson.WriterOptions))
        {
            var reader = AnthropicJson.ReaderOn(value);
            AnthropicJson.CopyValue(ref reader, w);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
