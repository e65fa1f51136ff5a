// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Audit.Http;

/// <summary>Body of <c>GET /audit/v1/public-key</c>.</summary>
public sealed record PublicKeyResponse(string Origin, string Key, string KeyId, string PublicKey, IReadOnlyList<string> Keys);

/// <summary>Body of <c>GET /audit/v1/proof/inclusion</c>: RFC 9162 audit path, leaf side first, base64.</summary>
public sealed record InclusionProofResponse(long Index, long Size, string LeafHash, IReadOnlyList<string> Hashes);

/// <summary>Body of <c>GET /audit/v1/proof/consistency</c>.</summary>
public sealed record ConsistencyProofResponse(long From, long To, IReadOnlyList<string> Hashes);

/// <summary>One entry: its index, leaf hash (base64) and the leaf text (canonical JSON, UTF-8 exactly as hashed).</summary>
public sealed record EntryResponse(long Index, string LeafHash, string Leaf);

/// <summary>Body of <c>GET /audit/v1/entries</c>.</summary>
public sealed record EntriesResponse(long Start, long End, IReadOnlyList<EntryResponse> Entries);

/// <summary>Body of <c>GET /audit/v1/status</c>: how this instance takes part in the log.</summary>
/// <param name="Origin">The log origin.</param>
/// <param name="Size">Leaves in the tree.</param>
/// <param name="CheckpointSize">Size of the newest signed checkpoint (null before the first).</param>
/// <param name="Mode"><c>direct</c> (this process appends, SQLite) or <c>elected</c> (one sequencer per database, PostgreSQL).</param>
/// <param name="Sequencer">Whether this instance integrates and signs now.</param>
/// <param name="Queued">Events waiting for the sequencer (elected mode), else null.</param>
public sealed record AuditStatusResponse(string Origin, long Size, long? CheckpointSize, string Mode, bool Sequencer, long? Queued);

/// <summary>Error body: <c>{"error":{"code":…,"message":…}}</c>.</summary>
public sealed record AuditErrorResponse(AuditError Error);

/// <summary>Error details.</summary>
public sealed record AuditError(string Code, string Message);
