// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Providers.Anthropic;

/// <summary>The content block types a translation cares about.</summary>
internal enum AnthropicBlockKind
{
    Other,
    Text,
    ToolUse,
}
