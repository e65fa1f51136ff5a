// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Audit;
using Charter.Records;
using Charter.Storage;

namespace Charter.AuditTrail;

/// <summary>Feeds journal events into the Merkle audit log, exactly once.</summary>
/// <remarks>
/// The audit log and the request records are two transactions. The sink stores its journal position after each
/// append; after a crash between the append and that write, the replay starts a little early: the sink reads the leaves
/// those events may already have become (the last <c>batch.Count</c> leaves) and skips every event found there, including
/// completions already folded into their request's leaf, so no event is integrated twice.
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
        Func<JournalEvent, bool>? skip = null;
        if (!_checkedTail)
        {
            skip = await ReadTailAsync(batch.Count, cancellationToken).ConfigureAwait(false);
            _checkedTail = true;
        }

        var events = AuditEventMapper.MapBatch(batch, skip);
        if (events.Count > 0)
        {
            await log.AppendAsync(events, cancellationToken).ConfigureAwait(false);
        }

        await store.SetConsumerPositionAsync(Consumer, position, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Func<JournalEvent, bool>?> ReadTailAsync(int count, CancellationToken cancellationToken)
    {
        var size = await log.GetSizeAsync(cancellationToken).ConfigureAwait(false);
        if (size == 0 || count == 0)
        {
            return null;
        }

        var leaves = await log.GetEntriesAsync(Math.Max(0, size - count), size, cancellationToken).ConfigureAwait(false);
        var present = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var leaf in leaves)
        {
            if (AuditEventSerializer.Deserialize(leaf.Data.Span) is { } e)
            {
                present[e.Id] = AuditEventMapper.IsComplete(e);
            }
        }

        return e => present.ContainsKey(AuditEventMapper.AuditId(e))
            || (e.Kind == "completion" && present.TryGetValue(e.Id, out var complete) && complete);
    }
}
