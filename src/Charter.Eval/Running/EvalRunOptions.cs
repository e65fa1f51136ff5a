// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Running;

/// <summary>Options of one run.</summary>
public sealed record EvalRunOptions
{
    /// <summary>Models to run; empty means the suite's list.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>Requests in flight at once. Default 8.</summary>
    public int Concurrency { get; init; } = 8;

    /// <summary>Samples per case and model. Default 1.</summary>
    public int Repeat { get; init; } = 1;

    /// <summary>Run only the first N cases; null for all.</summary>
    public int? Limit { get; init; }

    /// <summary>Use and fill the response cache. Default true.</summary>
    public bool UseCache { get; init; } = true;

    /// <summary>Gateway URL recorded with the run. Default http://127.0.0.1:8080.</summary>
    public string GatewayUrl { get; init; } = "http://127.0.0.1:8080";

    /// <summary>Run id; generated when null.</summary>
    public string? RunId { get; init; }
}
