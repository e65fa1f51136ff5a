// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Forwarding;

/// <summary>Counts tokens when the upstream reports no usage (an interrupted stream).</summary>
public interface IUsageEstimator
{
    /// <summary>Estimates the prompt tokens of a request body.</summary>
    int EstimatePrompt(ReadOnlySpan<byte> body);

    /// <summary>Counts tokens of generated text (raw JSON-string bytes of the content deltas).</summary>
    int CountCompletion(ReadOnlySpan<byte> text);

    /// <summary>Cost in micro-dollars of a usage for a model; 0 when no price is known.</summary>
    long CostNanos(string model, int promptTokens, int cachedTokens, int completionTokens);
}
