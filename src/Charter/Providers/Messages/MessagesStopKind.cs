// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Providers.Messages;

/// <summary>Anthropic's <c>stop_reason</c> values a chat answer can map to.</summary>
internal enum MessagesStopKind : byte
{
    /// <summary><c>end_turn</c>.</summary>
    EndTurn,

    /// <summary><c>max_tokens</c>.</summary>
    MaxTokens,

    /// <summary><c>tool_use</c>.</summary>
    ToolUse,

    /// <summary><c>refusal</c>.</summary>
    Refusal,
}
