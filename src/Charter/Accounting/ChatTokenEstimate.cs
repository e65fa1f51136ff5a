// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Accounting;

/// <summary>Token estimate of a chat request, before it is sent.</summary>
/// <param name="PromptTokens">Prompt tokens, per-message overhead included (o200k).</param>
/// <param name="CompletionAllowance">max_completion_tokens / max_tokens, or the configured default when absent.</param>
/// <param name="Choices">n (1 when absent).</param>
/// <param name="IsExact">False when the body could not be parsed and the estimate is bytes / 4.</param>
public readonly record struct ChatTokenEstimate(long PromptTokens, long CompletionAllowance, int Choices, bool IsExact)
{
    /// <summary>Tokens to charge at admission: prompt plus the completion allowance of every choice.</summary>
    public long AdmissionTokens => PromptTokens + (CompletionAllowance * Math.Max(1, Choices));
}
