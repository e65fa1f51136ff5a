// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;

namespace Charter.Streaming;

/// <summary>The reader of a stream passed through as it came (<see cref="ObservedSseTransform{TObserver}"/>): what it reads of
/// each event, and how it tells the client, in the stream's own format, that the upstream failed mid-stream.</summary>
public interface ISseObserver
{
    /// <summary>Reads one whole event (or the stream's last bytes, without their blank line).</summary>
    void Observe(ReadOnlySpan<byte> ev, ref StreamOutcome outcome);

    /// <summary>Writes the event that tells the client the upstream failed mid-stream.</summary>
    void WriteFailure(IBufferWriter<byte> client);
}
