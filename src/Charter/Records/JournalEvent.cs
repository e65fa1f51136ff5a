// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Records;

/// <summary>One event in the write-ahead journal: a request decision, a request's completion, or an admin/lifecycle action.</summary>
/// <remarks>
/// A request produces a <c>request</c> event (written before forwarding, with the decision) and, when forwarded,
/// a <c>completion</c> event (status, usage, latency). The journal keeps the raw request body so that detection
/// sees the prompt; the database keeps only a hash of the messages unless content retention is on.
/// </remarks>
public sealed class JournalEvent
{
    /// <summary><c>request</c>, <c>completion</c>, <c>transition</c>, <c>admin</c>, <c>policy.load</c>, <c>finding</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>Request id (for request events) or event id.</summary>
    public required string Id { get; init; }

    /// <summary>When the event happened (UTC).</summary>
    public required DateTimeOffset Ts { get; init; }

    /// <summary>Key id.</summary>
    public string? Key { get; init; }

    /// <summary>Team id.</summary>
    public string? Team { get; init; }

    /// <summary>Provider kind (openai, azure-openai, …).</summary>
    public string? Provider { get; set; }

    /// <summary>Provider account id.</summary>
    public string? Account { get; set; }

    /// <summary>Model name as the client sent it.</summary>
    public string? Model { get; init; }

    /// <summary>Declared or default purpose.</summary>
    public string? Purpose { get; init; }

    /// <summary><c>chat.completions</c>, <c>embeddings</c>.</summary>
    public string? Endpoint { get; init; }

    /// <summary><c>allow</c>, <c>flag</c> or <c>deny</c>.</summary>
    public string? Decision { get; init; }

    /// <summary>Rule id behind the decision.</summary>
    public string? Rule { get; init; }

    /// <summary>Error code (deny code or failure code).</summary>
    public string? Code { get; set; }

    /// <summary>Policy version (content hash) in force.</summary>
    public string? PolicyVersion { get; init; }

    /// <summary>SHA-256 (hex) of the request's messages (or input).</summary>
    public string? MessagesSha256 { get; init; }

    /// <summary>The raw request body (UTF-8 JSON), for request events.</summary>
    /// <remarks>Once appended, the journal's own copy (<see cref="Journal.AppendAsync"/>): valid while the integrator holds the event.</remarks>
    public ReadOnlyMemory<byte> Body { get; set; }

    /// <summary>
    /// Where the messages (or input) sit in <see cref="Body"/>, as the request parser found them; -1 when unknown. Kept in
    /// memory only (not journaled): the store redacts without parsing the body again, and parses it after a replay.
    /// </summary>
    public int MessagesStart { get; init; } = -1;

    /// <summary>Length in bytes of the messages (or input) at <see cref="MessagesStart"/>.</summary>
    public int MessagesLength { get; init; }

    /// <summary>Evaluation run id from <c>Charter-Eval-Run</c>.</summary>
    public string? EvalRun { get; init; }

    /// <summary>Whether the client asked for a stream.</summary>
    public bool Stream { get; init; }

    /// <summary>HTTP status returned to the client.</summary>
    public int? Status { get; set; }

    /// <summary>Prompt tokens.</summary>
    public int? PromptTokens { get; set; }

    /// <summary>Completion tokens.</summary>
    public int? CompletionTokens { get; set; }

    /// <summary>Cached prompt tokens.</summary>
    public int? CachedTokens { get; set; }

    /// <summary>True when usage was estimated with the tokenizer (upstream gave none).</summary>
    public bool Estimated { get; set; }

    /// <summary>Latency from request start to the last byte, in milliseconds.</summary>
    public double? LatencyMs { get; set; }

    /// <summary>Cost in micro-dollars, when a price is known.</summary>
    public long? CostNanos { get; set; }

    /// <summary>Who did it (admin key id, <c>detection</c>, …) for non-request events.</summary>
    public string? Actor { get; init; }

    /// <summary>Entity type for transitions.</summary>
    public string? EntityType { get; init; }

    /// <summary>Entity id for transitions.</summary>
    public string? EntityId { get; init; }

    /// <summary>Human reason or message.</summary>
    public string? Reason { get; init; }

    /// <summary>Extra JSON detail (measures, deadline, from/to states).</summary>
    public string? Detail { get; init; }

    /// <summary>Where this event ends in the journal (set by the journal).</summary>
    public JournalPosition Position { get; set; }

    /// <summary>
    /// Gives the event its own copy of <see cref="Body"/>. An appended event's body lives in the journal's mapped segment,
    /// which is released once the batch holding the event is integrated: a consumer that keeps the event longer calls this.
    /// </summary>
    public void DetachBody()
    {
        if (!Body.IsEmpty)
        {
            Body = Body.ToArray();
        }
    }
}
