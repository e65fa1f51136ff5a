// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Streaming;

/// <summary>Token usage reported by an upstream.</summary>
public struct Usage
{
    /// <summary>Prompt tokens.</summary>
    public int PromptTokens;

    /// <summary>Completion tokens.</summary>
    public int CompletionTokens;

    /// <summary>Cached prompt tokens.</summary>
    public int CachedTokens;

    /// <summary>Whether any usage was read.</summary>
    public bool Present;
}
