// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Diagnostics.CodeAnalysis;

namespace Charter.Records;

/// <summary>One event in the write-ahead journal: a request decision, a request's completion, or an admin/lifecycle action.</summary>
/// <remarks>
/// A request produces a <c>request</c> event (written before forwarding, with the decision) and, when forwarded,
/// a <c>completion</c> event (status, usage, latency). The journal keeps the raw request body so that detection
/// sees the prompt; the database keeps only a hash of the messages unless content retention is on.
/// </remarks>
public sealed class JournalEvent
{
    /// <summary>Creates an event; set <see cref="Kind"/>, <see cref="Id"/> and <see cref="Ts"/>.</summary>
    public JournalEvent()
    {
    }

    // An empty event to be filled later (the request path's scratch event, a batch's pooled events).
    [SetsRequiredMembers]
    private JournalEvent(string kind, string id)
    {
        Kind = kind;
        Id = id;
    }

    /// <summary><c>request</c>, <c>completion</c>, <c>transition</c>, <c>admin</c>, <c>policy.load</c>, <c>finding</c>.</summary>
    public required string Kind { get; set; }

    /// <summary>Request id (for request events) or event id.</summary>
    public required string Id { get; set; }

    /// <summary>When the event happened (UTC).</summary>
    public required DateTimeOffset Ts { get; set; }

    /// <summary>Key id.</summary>
    public string? Key { get; set; }

    /// <summary>Team id.</summary>
    public string? Team { get; set; }

    /// <summary>Provider kind (openai, azure-openai, …).</summary>
    public string? Provider { get; set; }

    /// <summary>Provider account id.</summary>
    public string? Account { get; set; }

    /// <summary>Model name as the client sent it.</summary>
    public string? Model { get; set; }

    /// <summary>Declared or default purpose.</summary>
    public string? Purpose { get; set; }

    /// <summary><c>chat.completions</c>, <c>embeddings</c>.</summary>
    public string? Endpoint { get; set; }

    /// <summary><c>allow</c>, <c>flag</c> or <c>deny</c>.</summary>
    public string? Decision { get; set; }

    /// <summary>Rule id behind the decision.</summary>
    public string? Rule { get; set; }

    /// <summary>Error code (deny code or failure code).</summary>
    public string? Code { get; set; }

    /// <summary>Policy version (content hash) in force.</summary>
    public string? PolicyVersion { get; set; }

    /// <summary>SHA-256 (hex) of the request's messages (or input).</summary>
    public string? MessagesSha256 { get; set; }

    /// <summary>The same hash as bytes, which the request path sets instead of <see cref="MessagesSha256"/> (a 64-character
    /// string a request less); journaled as that string is, 32 bytes, and read back as that string. Used when
    /// <see cref="HasMessagesDigest"/> is set and <see cref="MessagesSha256"/> is not.</summary>
    internal Sha256Digest MessagesDigest;

    /// <summary>Whether <see cref="MessagesDigest"/> holds a digest.</summary>
    internal bool HasMessagesDigest;

    /// <summary>The raw request body (UTF-8 JSON), for request events.</summary>
    /// <remarks>Once appended, the journal's own copy (<see cref="Journal.AppendAsync"/>): valid while the integrator holds the event.</remarks>
    public ReadOnlyMemory<byte> Body { get; set; }

    /// <summary>
    /// Where the messages (or input) sit in <see cref="Body"/>, as the request parser found them; -1 when unknown (an
    /// event journaled by a build before 2026-11-29): the store redacts with them instead of parsing the body again.
    /// </summary>
    public int MessagesStart { get; set; } = -1;

    /// <summary>Length in bytes of the messages (or input) at <see cref="MessagesStart"/>.</summary>
    public int MessagesLength { get; set; }

    /// <summary>Evaluation run id from <c>Charter-Eval-Run</c>.</summary>
    public string? EvalRun { get; set; }

    /// <summary>Whether the client asked for a stream.</summary>
    public bool Stream { get; set; }

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

    /// <summary>Streams only: from request start until the first output (text, or the first event of a stream without text) reached the client (time to first token), in
    /// milliseconds.</summary>
    public double? FirstTokenMs { get; set; }

    /// <summary>Responses API only: the id of the response the upstream created (<c>resp_…</c>), on the completion.</summary>
    public string? ResponseId { get; set; }

    /// <summary>Cost in billionths of a US dollar, when a price is known.</summary>
    public long? CostNanos { get; set; }

    /// <summary>Who did it (admin key id, <c>detection</c>, …) for non-request events.</summary>
    public string? Actor { get; set; }

    /// <summary>Entity type for transitions.</summary>
    public string? EntityType { get; set; }

    /// <summary>Entity id for transitions.</summary>
    public string? EntityId { get; set; }

    /// <summary>Human reason or message.</summary>
    public string? Reason { get; set; }

    /// <summary>Extra JSON detail (measures, deadline, from/to states).</summary>
    public string? Detail { get; set; }

    /// <summary>Where this event ends in the journal (set by the journal).</summary>
    public JournalPosition Position { get; set; }

    /// <summary>
    /// A copy of this event with its own copy of <see cref="Body"/>, for a consumer that keeps an event past its batch: the
    /// batch reuses its event objects for the next one, and an event read back from the journal has its body in the
    /// journal's mapped segment, which is released once the batch is integrated.
    /// </summary>
    public JournalEvent Detach()
    {
        var copy = (JournalEvent)MemberwiseClone();
        copy.Body = Body.IsEmpty ? ReadOnlyMemory<byte>.Empty : Body.ToArray();
        return copy;
    }

    /// <summary>An empty event, to be filled and then <see cref="Clear"/>ed for the next use.</summary>
    internal static JournalEvent CreateEmpty() => new(string.Empty, string.Empty);

    /// <summary>Sets every member back to its default (what <see cref="CreateEmpty"/> gives), so that a reused event carries
    /// nothing of its last use and holds no reference to it.</summary>
    internal void Clear()
    {
        Kind = string.Empty;
        Id = string.Empty;
        Ts = default;
        Key = null;
        Team = null;
        Provider = null;
        Account = null;
        Model = null;
        Purpose = null;
        Endpoint = null;
        Decision = null;
        Rule = null;
        Code = null;
        PolicyVersion = null;
        MessagesSha256 = null;
        HasMessagesDigest = false;
        Body = default;
        MessagesStart = -1;
        MessagesLength = 0;
        EvalRun = null;
        Stream = false;
        Status = null;
        PromptTokens = null;
        CompletionTokens = null;
        CachedTokens = null;
        Estimated = false;
        LatencyMs = null;
        FirstTokenMs = null;
        ResponseId = null;
        CostNanos = null;
        Actor = null;
        EntityType = null;
        EntityId = null;
        Reason = null;
        Detail = null;
        Position = default;
    }
}
