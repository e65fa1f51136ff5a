// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Admin;

/// <summary>An evaluation run as the gateway saw it (from its request records, not from the harness's own tables).</summary>
/// <param name="RunId">The <c>Charter-Eval-Run</c> header value.</param>
/// <param name="Key">Key id.</param>
/// <param name="Team">Team id.</param>
/// <param name="Models">Distinct models requested, sorted.</param>
/// <param name="Purposes">Distinct purposes declared, sorted (normally just <c>evaluation</c>).</param>
/// <param name="Requests">Request records.</param>
/// <param name="Denied">Records with decision <c>deny</c>.</param>
/// <param name="Errors">Records with an HTTP status of 400 or more.</param>
/// <param name="FirstTs">Earliest record.</param>
/// <param name="LastTs">Latest record.</param>
/// <param name="PromptTokens">Sum of prompt tokens.</param>
/// <param name="CompletionTokens">Sum of completion tokens.</param>
/// <param name="CostNanos">Sum of the recorded cost in nano-dollars (null when no record has one).</param>
public sealed record EvalRunSummary(
    string RunId,
    string? Key,
    string? Team,
    IReadOnlyList<string> Models,
    IReadOnlyList<string> Purposes,
    long Requests,
    long Denied,
    long Errors,
    DateTimeOffset FirstTs,
    DateTimeOffset LastTs,
    long PromptTokens,
    long CompletionTokens,
    long? CostNanos);
