// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Forwarding;

/// <summary>A coarse estimator (about four bytes a token) used when no tokenizer is registered.</summary>
public sealed class ByteLengthEstimator : IUsageEstimator
{
    /// <inheritdoc/>
    public int EstimatePrompt(ReadOnlySpan<byte> body) => Math.Max(1, body.Length / 4);

    /// <inheritdoc/>
    public int CountCompletion(ReadOnlySpan<byte> text) => text.IsEmpty ? 0 : Math.Max(1, text.Length / 4);

    /// <inheritdoc/>
    public long CostNanos(string model, int promptTokens, int cachedTokens, int completionTokens) => 0;
}
