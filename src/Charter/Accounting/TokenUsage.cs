// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Accounting;

/// <summary>Tokens one request consumed, from the upstream's usage or, when marked, from the tokenizer.</summary>
/// <param name="PromptTokens">Prompt (input) tokens, cached ones included.</param>
/// <param name="CompletionTokens">Completion (output) tokens, reasoning included.</param>
/// <param name="CachedPromptTokens">The part of <paramref name="PromptTokens"/> served from the prompt cache.</param>
/// <param name="IsEstimated">True when counted by Charter's tokenizer because the upstream gave no usage.</param>
public readonly record struct TokenUsage(long PromptTokens, long CompletionTokens, long CachedPromptTokens = 0, bool IsEstimated = false)
{
    /// <summary>Prompt plus completion tokens.</summary>
    public long TotalTokens => PromptTokens + CompletionTokens;
}
