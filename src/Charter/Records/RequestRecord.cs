// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Records;

/// <summary>A request record as stored and exported (the v1 JSON Lines form plus id, latency, status, error code).</summary>
public sealed record RequestRecord
{
    /// <summary>Request id.</summary>
    public required string Id { get; init; }

    /// <summary>Time the request arrived.</summary>
    public required DateTimeOffset Ts { get; init; }

    /// <summary>Key id.</summary>
    public string? Key { get; init; }

    /// <summary>Team id.</summary>
    public string? Team { get; init; }

    /// <summary>Provider kind.</summary>
    public string? Provider { get; init; }

    /// <summary>Provider account.</summary>
    public string? Account { get; init; }

    /// <summary>Model.</summary>
    public string? Model { get; init; }

    /// <summary>Purpose.</summary>
    public string? Purpose { get; init; }

    /// <summary>Endpoint.</summary>
    public string? Endpoint { get; init; }

    /// <summary>Request body JSON (messages replaced by their hash unless content retention is on).</summary>
    public string? RequestJson { get; init; }

    /// <summary>Prompt tokens.</summary>
    public int? PromptTokens { get; init; }

    /// <summary>Completion tokens.</summary>
    public int? CompletionTokens { get; init; }

    /// <summary>Usage was estimated.</summary>
    public bool Estimated { get; init; }

    /// <summary>HTTP status (null while in flight or lost with a crash).</summary>
    public int? Status { get; init; }

    /// <summary>Error code.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Latency in milliseconds.</summary>
    public double? LatencyMs { get; init; }

    /// <summary>Streams only: milliseconds from the request until the first output (text, or the first event of a stream without text) reached the client (time to first token).</summary>
    public double? FirstTokenMs { get; init; }

    /// <summary>Responses API only: the id of the response the upstream created.</summary>
    public string? ResponseId { get; init; }

    /// <summary>Decision.</summary>
    public string? Decision { get; init; }

    /// <summary>Rule id.</summary>
    public string? Rule { get; init; }

    /// <summary>Evaluation run id.</summary>
    public string? EvalRun { get; init; }

    /// <summary>Policy version.</summary>
    public string? PolicyVersion { get; init; }

    /// <summary>Cost in micro-dollars.</summary>
    public long? CostNanos { get; init; }
}
