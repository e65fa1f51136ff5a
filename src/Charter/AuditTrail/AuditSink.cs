// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Audit;
using Charter.Records;
using Charter.Storage;

namespace Charter.AuditTrail;

/// <summary>Feeds journal events into the Merkle audit log, exactly once.</summary>
/// <remarks>
/// The audit log and the request records are two transactions. The sink stores its journal position after each
/// append; after a crash between the append and that write, the replay starts a little early and the sink skips
/// the events up to the last leaf already in the log (matched by event id), so no leaf is written twice.
/// </remarks>
public sealed class AuditSink(AuditLog log, IGatewayStore store) : IEventSink
{
    private const string Consumer = "audit";
    private bool _checkedTail;

    /// <inheritdoc/>
    public string Name => Consumer;

    /// <inheritdoc/>
    public Task<JournalPosition?> GetPositionAsync(CancellationToken cancellationToken) => store.GetConsumerPositionAsync(Consumer, cancellationToken);

    /// <inheritdoc/>
    public async Task ConsumeAsync(IReadOnlyList<JournalEvent> batch, JournalPosition position, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var start = 0;
        if (!_checkedTail)
        {
            var last = await log.GetLastEventAsync(cancellationToken).ConfigureAwait(false);
            if (last is not null)
            {
                for (var i = batch.Count - 1; i >= 0; i--)
                {
                    if (AuditEventMapper.AuditId(batch[i]) == last.Id)
                    {
                        start = i + 1;
                        break;
                    }
                }
            }

            _checkedTail = true;
        }

        if (start < batch.Count)
        {
            var events = new AuditEvent[batch.Count - start];
            for (var i = start; i < batch.Count; i++)
            {
                events[i - start] = AuditEventMapper.Map(batch[i]);
            }

            await log.AppendAsync(events, cancellationToken).ConfigureAwait(false);
        }

        await store.SetConsumerPositionAsync(Consumer, position, cancellationToken).ConfigureAwait(false);
    }
}
