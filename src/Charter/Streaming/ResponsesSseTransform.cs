// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;

namespace Charter.Streaming;

/// <summary>A Responses API stream (named events, no <c>[DONE]</c>) passed through as it came, read on the way for its
/// usage, its end and its output text.</summary>
/// <param name="state">The stream's state (its last sequence number, the output text for an estimate).</param>
public readonly struct ResponsesSseTransform(ResponsesStreamState state) : ISseTransform
{
    /// <inheritdoc/>
    public int ProcessEvents(ReadOnlySpan<byte> data, IBufferWriter<byte> client, ref StreamOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(client);
        var start = 0;
        while (start < data.Length)
        {
            var end = SseRelay.FindEventEnd(data[start..]);
            if (end < 0)
            {
                break;
            }

            var ev = data.Slice(start, end);
            state.Observe(ev, ref outcome);
            client.Write(ev);
            start += end;
        }

        return start;
    }

    /// <inheritdoc/>
    public void ProcessTail(ReadOnlySpan<byte> tail, IBufferWriter<byte> client, ref StreamOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (!tail.IsEmpty)
        {
            // A last event without its blank line still counts (a terminal event ends the stream), and passes through.
            state.Observe(tail, ref outcome);
            client.Write(tail);
        }
    }

    /// <inheritdoc/>
    public void WriteFailure(IBufferWriter<byte> client) => state.WriteFailure(client);
}
