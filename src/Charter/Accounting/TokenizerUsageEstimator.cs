// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Forwarding;

namespace Charter.Accounting;

/// <summary>Counts with the o200k tokenizer when the upstream gives no usage, and prices usage with the price table.</summary>
public sealed class TokenizerUsageEstimator(TokenEstimator estimator, PriceTable prices) : IUsageEstimator
{
    /// <inheritdoc/>
    public int EstimatePrompt(ReadOnlySpan<byte> body) => (int)estimator.EstimateChat(body).PromptTokens;

    /// <inheritdoc/>
    public int CountCompletion(ReadOnlySpan<byte> text) => estimator.CountUtf8(text);

    /// <inheritdoc/>
    public long CostNanos(string model, int promptTokens, int cachedTokens, int completionTokens) =>
        prices.TryGetPrice(model, out _) ? prices.CostNanoUsd(model, new TokenUsage(promptTokens, completionTokens, cachedTokens)) : 0;
}
