// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Audit.Export;

/// <summary>manifest.json: what the bundle holds and which checkpoint its proofs use.</summary>
public sealed record BundleManifest(
    string Format,
    string Origin,
    DateTimeOffset CreatedAt,
    long CheckpointSize,
    string CheckpointRoot,
    long Entries,
    BundleFilter Filter,
    IReadOnlyDictionary<string, string> FileSha256);

/// <summary>The filter recorded in the manifest.</summary>
public sealed record BundleFilter(string? From, string? To, string? Team, string? Key, string? Provider);

/// <summary>One line of entries.jsonl: the leaf text (exact UTF-8 bytes hashed), its hash and inclusion proof.</summary>
public sealed record BundleEntry(long Index, string Leaf, string LeafHash, IReadOnlyList<string> Proof);

/// <summary>One consistency proof in consistency.json: from an earlier checkpoint file to checkpoint.txt.</summary>
public sealed record BundleConsistency(string Checkpoint, long From, long To, IReadOnlyList<string> Hashes);

/// <summary>summary.json: the bundle's entries counted and listed for a reader.</summary>
public sealed record AuditSummary(
    long Entries,
    long Requests,
    SortedDictionary<string, long> ByKind,
    SortedDictionary<string, long> ByPurpose,
    SortedDictionary<string, long> ByProvider,
    SortedDictionary<string, long> ByDecision,
    SortedDictionary<string, long> ByTeam,
    SortedDictionary<string, long> DenialsByRule,
    IReadOnlyList<SummaryDenial> Denials,
    IReadOnlyList<SummaryTransition> Lifecycle,
    IReadOnlyList<SummaryPolicyLoad> PolicyLoads,
    string BucketSize,
    IReadOnlyList<SummaryVolume> Volume);

/// <summary>A denied request.</summary>
public sealed record SummaryDenial(long Index, string Ts, string? Key, string? Team, string? Purpose, string? Provider, string? Model, string? Rule, string? Code);

/// <summary>A lifecycle transition with its reason and required measures.</summary>
public sealed record SummaryTransition(long Index, string Ts, string? EntityType, string? EntityId, string? FromState, string? ToState, string? Event, string? Actor, string? Reason, IReadOnlyList<string>? Measures, string? Deadline);

/// <summary>A policy load.</summary>
public sealed record SummaryPolicyLoad(long Index, string Ts, string? PolicyVersion, string? Actor, string? Detail);

/// <summary>Requests per time bucket, by decision.</summary>
public sealed record SummaryVolume(string Start, long Allow, long Flag, long Deny, long Other);
