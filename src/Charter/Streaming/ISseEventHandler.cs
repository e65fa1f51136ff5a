// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;

namespace Charter.Streaming;

/// <summary>What is done with each whole server-sent event of a read (<see cref="SseRelay.ForEachEvent{THandler}"/>).</summary>
internal interface ISseEventHandler
{
    /// <summary>Handles one whole event (its bytes up to and including the blank line that ends it).</summary>
    void HandleEvent(ReadOnlySpan<byte> ev, IBufferWriter<byte> client, ref StreamOutcome outcome);
}
