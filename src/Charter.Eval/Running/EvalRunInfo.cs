// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Running;

/// <summary>Metadata of one evaluation run (a row of <c>eval_runs</c>).</summary>
public sealed record EvalRunInfo
{
    public required string RunId { get; init; }

    public required string SuiteName { get; init; }

    public string SuitePath { get; init; } = string.Empty;

    public required string SuiteHash { get; init; }

    public required string GatewayUrl { get; init; }

    /// <summary>The gateway's <c>charter-policy-version</c> response header, when it sent one.</summary>
    public string? PolicyVersion { get; init; }

    public required IReadOnlyList<string> Models { get; init; }

    public int Repeat { get; init; } = 1;

    public int CaseCount { get; init; }

    public int Concurrency { get; init; }

    /// <summary>Request parameters as JSON (temperature, max_tokens…).</summary>
    public string Parameters { get; init; } = "{}";

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>running, completed or cancelled.</summary>
    public string Status { get; init; } = "running";

    public double WallMs { get; init; }

    /// <summary>HTTP requests sent upstream during the run (0 when fully cached).</summary>
    public long UpstreamRequests { get; init; }

    /// <summary>CPU time of this process during the run, in milliseconds (the harness's own cost when the
    /// gateway runs elsewhere).</summary>
    public double CpuMs { get; init; }
}
