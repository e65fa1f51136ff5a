// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Detection;

/// <summary>What the gateway knows of a request besides its body: the fields of a log line around its <c>request</c>.</summary>
/// <param name="TimestampMs">Request time, Unix milliseconds (UTC).</param>
/// <param name="Key">Key id.</param>
/// <param name="Team">Team id.</param>
/// <param name="Provider">Provider kind that served it ("" when none).</param>
/// <param name="Model">Public model name ("" when none).</param>
/// <param name="Purpose">Declared purpose.</param>
/// <param name="Endpoint">Endpoint (chat.completions, embeddings).</param>
/// <param name="Status">HTTP status the client got.</param>
/// <param name="PromptTokens">Prompt tokens (0 when unknown).</param>
/// <param name="CompletionTokens">Completion tokens (0 when unknown).</param>
/// <param name="RequestId">Request id.</param>
/// <param name="EvalRunId">Evaluation run id, when declared.</param>
public readonly record struct DetectionEnvelope(
    long TimestampMs,
    string Key,
    string Team,
    string Provider,
    string Model,
    string Purpose,
    string Endpoint,
    int Status,
    int PromptTokens,
    int CompletionTokens,
    string? RequestId,
    string? EvalRunId);
