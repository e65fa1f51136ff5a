// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Audit.Merkle;

namespace Charter.Audit.Storage;

/// <summary>Persistence for the audit log: leaves, interior nodes, checkpoints and public keys.</summary>
/// <remarks>
/// Contract for every implementation (SQLite here, PostgreSQL later):
/// leaves are numbered from 0 without gaps; <see cref="AppendAsync"/> is atomic and fails with
/// <see cref="AuditStoreConflictException"/> unless it starts exactly at the current size; nodes are
/// addressed by (level, index) with level 0 meaning the leaf hash. Nothing is ever updated or deleted.
/// </remarks>
public interface IAuditStore
{
    /// <summary>Creates the tables if they do not exist.</summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken = default);

    /// <summary>Number of leaves (highest index + 1).</summary>
    public Task<long> GetSizeAsync(CancellationToken cancellationToken = default);

    /// <summary>Atomically appends leaves starting at <paramref name="startIndex"/> with the interior nodes they complete.</summary>
    public Task AppendAsync(long startIndex, IReadOnlyList<StoredLeaf> leaves, IReadOnlyList<StoredNode> nodes, CancellationToken cancellationToken = default);

    /// <summary>Leaves with index in [<paramref name="start"/>, <paramref name="end"/>), in order.</summary>
    public IAsyncEnumerable<StoredLeaf> ReadLeavesAsync(long start, long end, CancellationToken cancellationToken = default);

    /// <summary>Hashes of the given nodes, in the same order; throws when one is missing.</summary>
    public Task<IReadOnlyList<byte[]>> GetNodeHashesAsync(IReadOnlyList<NodeId> ids, CancellationToken cancellationToken = default);

    /// <summary>Stored nodes of one level from <paramref name="fromIndex"/> on, in index order (used by verification).</summary>
    public IAsyncEnumerable<StoredNode> ReadNodesAsync(int level, long fromIndex, CancellationToken cancellationToken = default);

    /// <summary>Records a signed checkpoint.</summary>
    public Task SaveCheckpointAsync(StoredCheckpoint checkpoint, CancellationToken cancellationToken = default);

    /// <summary>The checkpoint saved last, or null.</summary>
    public Task<StoredCheckpoint?> GetLatestCheckpointAsync(CancellationToken cancellationToken = default);

    /// <summary>All checkpoints in the order they were saved.</summary>
    public Task<IReadOnlyList<StoredCheckpoint>> GetCheckpointsAsync(CancellationToken cancellationToken = default);

    /// <summary>Records a public key (idempotent).</summary>
    public Task SaveKeyAsync(StoredKey key, CancellationToken cancellationToken = default);

    /// <summary>Every public key recorded, oldest first.</summary>
    public Task<IReadOnlyList<StoredKey>> GetKeysAsync(CancellationToken cancellationToken = default);
}
