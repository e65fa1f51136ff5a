// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Audit.Merkle;

namespace Charter.Audit.Storage;

/// <summary>
/// An audit store that several gateway instances share through one elected sequencer (PostgreSQL).
/// </summary>
/// <remarks>
/// <code>
///  every instance ──EnqueueAsync(producer, leaves, position)──► audit_queue        (one transaction: leaves + the
///                                                                audit_producers    producer's journal position)
///  the sequencer (holds the lease) ──ReadQueueAsync──► AppendQueuedAsync: leaves + nodes + delete of the queued rows,
///                                                      one transaction ──► audit_leaves / audit_nodes
/// </code>
/// Both steps are atomic, so each event becomes exactly one leaf however the instances crash. A second writer that believes it
/// still holds the lease cannot corrupt the tree: appends are checked against the log size under a transaction lock.
/// </remarks>
public interface IAuditQueueStore
{
    /// <summary>The journal position (segment, offset) a producer has durably enqueued up to, or null.</summary>
    public Task<(long Segment, long Offset)?> GetProducerPositionAsync(string producer, CancellationToken cancellationToken = default);

    /// <summary>Queues leaves and moves the producer's position, in one transaction; a position not after the stored one is a
    /// replay and changes nothing.</summary>
    public Task EnqueueAsync(string producer, IReadOnlyList<byte[]> leaves, long segment, long offset, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="max"/> queued leaves, oldest first.</summary>
    public Task<IReadOnlyList<QueuedLeaf>> ReadQueueAsync(int max, CancellationToken cancellationToken = default);

    /// <summary>Number of leaves waiting for the sequencer.</summary>
    public Task<long> CountQueuedAsync(CancellationToken cancellationToken = default);

    /// <summary>Appends leaves (as <see cref="IAuditStore.AppendAsync"/>) and removes the queued rows they came from, atomically;
    /// <see cref="AuditStoreConflictException"/> when the size moved or another sequencer took the rows.</summary>
    public Task AppendQueuedAsync(long startIndex, IReadOnlyList<StoredLeaf> leaves, IReadOnlyList<StoredNode> nodes, IReadOnlyList<long> queueIds, CancellationToken cancellationToken = default);

    /// <summary>Tries to become the sequencer: a lease held until disposed or until this process dies; null when another holds it.</summary>
    public Task<IAuditSequencerLease?> TryAcquireSequencerAsync(CancellationToken cancellationToken = default);
}
