// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Providers.Anthropic;

/// <summary>Maps Anthropic's <c>stop_reason</c> to OpenAI's <c>finish_reason</c> (WIRE.md §5).</summary>
internal static class AnthropicStopReason
{
    /// <summary>The OpenAI <c>finish_reason</c> for a raw <c>stop_reason</c> value (a JSON string, <c>null</c>, or absent).</summary>
    /// <remarks>
    /// end_turn, stop_sequence → stop; max_tokens, model_context_window_exceeded → length; tool_use → tool_calls;
    /// refusal → content_filter; pause_turn → stop (lossy: the turn was paused, not finished); null or unknown → stop.
    /// </remarks>
    public static ReadOnlySpan<byte> ToFinishReason(ReadOnlySpan<byte> stopReason)
    {
        if (AnthropicJson.StringEquals(stopReason, "max_tokens"u8) || AnthropicJson.StringEquals(stopReason, "model_context_window_exceeded"u8))
        {
            return "length"u8;
        }

        if (AnthropicJson.StringEquals(stopReason, "tool_use"u8))
        {
            return "tool_calls"u8;
        }

        if (AnthropicJson.StringEquals(stopReason, "refusal"u8))
        {
            return "content_filter"u8;
        }

        return "stop"u8;
    }
}
