// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;

namespace Charter.Sim;

/// <summary>The top-level fields of a <c>/v1/messages/count_tokens</c> body.</summary>
/// <remarks>
/// Anthropic's <c>MessageCountTokensParams</c> (and the beta one) takes <c>model</c>, <c>messages</c>, <c>system</c>, <c>tools</c>,
/// <c>tool_choice</c>, <c>thinking</c>, <c>cache_control</c>, <c>output_config</c>, <c>speed</c> (beta: also <c>mcp_servers</c>,
/// <c>context_management</c>, <c>output_format</c>); every field about generating (<c>max_tokens</c>, <c>stream</c>,
/// <c>stop_sequences</c>, <c>temperature</c>, <c>top_p</c>, <c>top_k</c>, <c>metadata</c>, <c>service_tier</c>) is refused like any
/// unknown field, <c>"max_tokens: Extra inputs are not permitted"</c>, as the API does (gateways that inject <c>max_tokens</c> strip it
/// for this route, e.g. https://github.com/Wei-Shaw/sub2api/pull/4913).
/// </remarks>
internal sealed partial class MessagesRequest
{
    /// <summary>Whether the property name under <paramref name="reader"/> is a field count_tokens takes.</summary>
    private static bool IsCountTokensField(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("model"u8)
        || reader.ValueTextEquals("messages"u8)
        || reader.ValueTextEquals("system"u8)
        || reader.ValueTextEquals("tools"u8)
        || reader.ValueTextEquals("tool_choice"u8)
        || reader.ValueTextEquals("thinking"u8)
        || IsCountTokensOnlyField(ref reader);

    /// <summary>Fields count_tokens takes that the simulator's <c>/v1/messages</c> does not read; skipped (they change no count).</summary>
    private static bool IsCountTokensOnlyField(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("cache_control"u8)
        || reader.ValueTextEquals("output_config"u8)
        || reader.ValueTextEquals("speed"u8)
        || reader.ValueTextEquals("mcp_servers"u8)
        || reader.ValueTextEquals("context_management"u8)
        || reader.ValueTextEquals("output_format"u8);
}
