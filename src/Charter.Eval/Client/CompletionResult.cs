// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Client;

/// <summary>Outcome of one chat completion after retries: the output or the error, with usage and timing.</summary>
public sealed record CompletionResult
{
    public string? Output { get; init; }

    /// <summary>Error text when the request finally failed (after every retry), else null.</summary>
    public string? Error { get; init; }

    /// <summary>HTTP status of the last attempt (0 for a connection failure).</summary>
    public int StatusCode { get; init; }

    public int PromptTokens { get; init; }

    public int CompletionTokens { get; init; }

    /// <summary>Cost reported by the gateway (header <c>charter-cost</c> or <c>usage.cost</c>), else null.</summary>
    public double? Cost { get; init; }

    /// <summary>Latency of the successful attempt, request sent to body read, in milliseconds.</summary>
    public double LatencyMs { get; init; }

    public int Attempts { get; init; }

    /// <summary>Value of the <c>charter-policy-version</c> response header, when present.</summary>
    public string? PolicyVersion { get; init; }

    public bool Succeeded => Error is null;
}
