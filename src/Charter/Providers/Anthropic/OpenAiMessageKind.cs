// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Providers.Anthropic;

/// <summary>The roles of OpenAI chat messages that become Anthropic messages (system and developer are hoisted).</summary>
internal enum OpenAiMessageKind
{
    User,
    Assistant,
    Tool,
}
