// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;

namespace Charter.Streaming;

/// <summary>What <see cref="SseRelay"/> does with the upstream's server-sent events: pass them through (OpenAI and
/// compatible upstreams) or translate them (Anthropic's named events into OpenAI chunks).</summary>
public interface ISseTransform
{
    /// <summary>Handles every complete event in <paramref name="data"/>, writing what the client gets to
    /// <paramref name="client"/>; returns the bytes consumed (a partial event at the end is left for the next call).</summary>
    int ProcessEvents(ReadOnlySpan<byte> data, IBufferWriter<byte> client, ref StreamOutcome outcome);

    /// <summary>Handles bytes left without a closing blank line when the upstream ended the stream.</summary>
    void ProcessTail(ReadOnlySpan<byte> tail, IBufferWriter<byte> client, ref StreamOutcome outcome);

    /// <summary>Writes the event that tells the client the upstream failed mid-stream (timed out or dropped the connection),
    /// in the client's wire format.</summary>
    void WriteFailure(IBufferWriter<byte> client);
}
