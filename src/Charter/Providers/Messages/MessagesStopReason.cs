// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Providers.Anthropic;

namespace Charter.Providers.Messages;

/// <summary>Maps a chat <c>finish_reason</c> to Anthropic's <c>stop_reason</c>.</summary>
internal static class MessagesStopReason
{
    /// <summary>The stop reason for a raw <c>finish_reason</c> value (a JSON string, <c>null</c>, or absent).</summary>
    /// <remarks>stop → end_turn; length → max_tokens; tool_calls, function_call → tool_use; content_filter → refusal; null or
    /// unknown → end_turn.</remarks>
    public static MessagesStopKind FromFinishReason(ReadOnlySpan<byte> finishReason)
    {
        if (AnthropicJson.StringEquals(finishReason, "length"u8))
        {
            return MessagesStopKind.MaxTokens;
        }

        if (AnthropicJson.StringEquals(finishReason, "content_filter"u8))
        {
            return MessagesStopKind.Refusal;
        }

        if (AnthropicJson.StringEquals(finishReason, "tool_calls"u8) || AnthropicJson.StringEquals(finishReason, "function_call"u8))
        {
            return MessagesStopKind.ToolUse;
        }

        return MessagesStopKind.EndTurn;
    }

    /// <summary>The <c>stop_reason</c> text of <paramref name="kind"/>.</summary>
    /// <param name="kind">The mapped finish reason.</param>
    /// <param name="hasToolUse">Whether the answer holds tool_use blocks: end_turn then becomes tool_use. Some
    /// OpenAI-compatible servers finish a tool call with <c>stop</c>, and an Anthropic client runs the tools on
    /// <c>tool_use</c> (Anthropic itself never ends a turn that asks for tools with end_turn).</param>
    public static ReadOnlySpan<byte> Text(MessagesStopKind kind, bool hasToolUse) => kind switch
    {
        MessagesStopKind.MaxTokens => "max_tokens"u8,
        MessagesStopKind.Refusal => "refusal"u8,
        MessagesStopKind.ToolUse => "tool_use"u8,
        _ => hasToolUse ? "tool_use"u8 : "end_turn"u8,
    };
}
