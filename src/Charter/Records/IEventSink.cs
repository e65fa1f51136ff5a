// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Records;

/// <summary>A consumer of journal events (audit log, detection), fed in journal order off the request path.</summary>
public interface IEventSink
{
    /// <summary>Name for logs.</summary>
    string Name { get; }

    /// <summary>The journal position this sink has durably consumed (null: it keeps no position and accepts replays).</summary>
    Task<JournalPosition?> GetPositionAsync(CancellationToken cancellationToken);

    /// <summary>Consumes a batch; <paramref name="position"/> is the position after its last event.</summary>
    /// <remarks>
    /// The events are valid until the batch is integrated: their bodies point into the journal's mapped segments, and the
    /// event objects are reused for the next batch. A sink that keeps an event past this call keeps a copy
    /// (<see cref="JournalEvent.Detach"/>).
    /// </remarks>
    Task ConsumeAsync(IReadOnlyList<JournalEvent> batch, JournalPosition position, CancellationToken cancellationToken);
}
