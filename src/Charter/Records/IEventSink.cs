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
    /// The events' bodies are valid until the batch is integrated (they point into the journal's mapped segments): a sink
    /// that keeps an event past this call first calls <see cref="JournalEvent.DetachBody"/>.
    /// </remarks>
    Task ConsumeAsync(IReadOnlyList<JournalEvent> batch, JournalPosition position, CancellationToken cancellationToken);
}
