// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Running;

/// <summary>The result of one case on one model (one repeat): output, score, timing, tokens and cost.</summary>
public sealed record CaseResult
{
    public required int CaseIndex { get; init; }

    public required string CaseId { get; init; }

    public required string Model { get; init; }

    public int RepeatIndex { get; init; }

    /// <summary>The last user message as sent (for reports).</summary>
    public string Prompt { get; init; } = string.Empty;

    public string? Expected { get; init; }

    /// <summary>The model's output; null when the request failed.</summary>
    public string? Output { get; init; }

    /// <summary>Score in [0, 1]; 0 for an error.</summary>
    public double Score { get; init; }

    /// <summary>Whether the case passed; an error counts as not passed.</summary>
    public bool Passed { get; init; }

    public string Scorer { get; init; } = string.Empty;

    /// <summary>What the scorer saw (the extracted letter or number, the judge's score, the schema error…).</summary>
    public string? Detail { get; init; }

    /// <summary>Final error after retries, else null.</summary>
    public string? Error { get; init; }

    public double LatencyMs { get; init; }

    public int PromptTokens { get; init; }

    public int CompletionTokens { get; init; }

    /// <summary>Cost of the call (gateway-reported, else from the suite's prices), null when unknown.</summary>
    public double? Cost { get; init; }

    /// <summary>True when the output came from the response cache (no upstream request).</summary>
    public bool Cached { get; init; }

    public int Attempts { get; init; }
}
