// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Keys;
using Charter.Records;

namespace Charter.Forwarding;

/// <summary>Per-request facts gathered on the way through the gateway, for the journal.</summary>
internal sealed class RequestState(string id, DateTimeOffset ts, long started, string endpoint)
{
    public string Id { get; } = id;

    public DateTimeOffset Ts { get; } = ts;

    public long Started { get; } = started;

    public string Endpoint { get; } = endpoint;

    /// <summary>What the one-pass parse found in the body. A field, read in place (<c>in state.Parsed</c>): the handler's
    /// async methods would each keep a copy of the 72-byte struct in their state machines.</summary>
    public ParsedRequest Parsed;

    public ApiKeyRecord? Key { get; init; }

    public TeamRecord? Team { get; init; }

    public string? Purpose { get; set; }

    public string? Model { get; set; }

    public bool Stream { get; set; }

    public string? EvalRun { get; set; }

    /// <summary>SHA-256 of the messages (or input), set once the request is admitted; a field, filled in place.</summary>
    public Sha256Digest MessagesDigest;

    public GateDecision Decision { get; set; }

    public int PromptTokens { get; set; }

    public int CompletionTokens { get; set; }

    public long CostNanos { get; set; }
}
