// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Providers.Anthropic;

/// <summary>One non-system OpenAI message: its role and where its members sit in the <c>messages</c> array's text.</summary>
/// <param name="Kind">The message's role.</param>
/// <param name="Content">The raw <c>content</c> value (absent or <c>null</c> → not present).</param>
/// <param name="ToolCalls">The raw <c>tool_calls</c> array (assistant).</param>
/// <param name="ToolCallId">The raw <c>tool_call_id</c> string (tool).</param>
internal readonly record struct OpenAiMessageRef(OpenAiMessageKind Kind, JsonSlice Content, JsonSlice ToolCalls, JsonSlice ToolCallId)
{
    /// <summary>The Anthropic role: tool results travel in user messages.</summary>
    public bool IsUserTurn => Kind != OpenAiMessageKind.Assistant;
}
