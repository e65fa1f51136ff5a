// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Audit;
using Charter.Audit.Storage;
using Charter.Records;

namespace Charter.AuditTrail;

/// <summary>Queues journal events for the elected audit sequencer (several instances on one PostgreSQL database), exactly once.</summary>
/// <remarks>
/// The leaves and this instance's journal position are written in one transaction, under the journal's instance id, so a
/// replay after a crash queues nothing twice. The sequencer (<see cref="AuditSequencerService"/>, in whichever instance holds
/// the lease) moves queued leaves into the tree.
/// </remarks>
public sealed class AuditQueueSink(AuditLog log, IAuditQueueStore queue, Journal journal) : IEventSink
{
    /// <inheritdoc/>
    public string Name => "audit";

    /// <inheritdoc/>
    public async Task<JournalPosition?> GetPositionAsync(CancellationToken cancellationToken)
    {
        await log.InitializeAsync(cancellationToken).ConfigureAwait(false); // creates the tables on a new database
        var at = await queue.GetProducerPositionAsync(journal.InstanceId, cancellationToken).ConfigureAwait(false);
        return at is { } p ? new JournalPosition(p.Segment, p.Offset) : null;
    }

    /// <inheritdoc/>
    public Task ConsumeAsync(IReadOnlyList<JournalEvent> batch, JournalPosition position, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var events = AuditEventMapper.MapBatch(batch);
        var leaves = new byte[events.Count][];
        for (var i = 0; i < events.Count; i++)
        {
            leaves[i] = AuditEventSerializer.Serialize(events[i]);
        }

        return queue.EnqueueAsync(journal.InstanceId, leaves, position.Segment, position.Offset, cancellationToken);
    }
}
