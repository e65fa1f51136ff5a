// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using Charter.Streaming;

namespace Charter.Providers.Anthropic;

/// <summary>An Anthropic Messages stream passed through as it came (the native <c>/v1/messages</c> endpoint), read on the way
/// for its usage, its output and its end.</summary>
/// <param name="state">The stream's state.</param>
public readonly struct AnthropicPassthroughSseTransform(AnthropicMessagesStreamState state) : ISseTransform
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
            // A last event without its blank line still counts (message_stop ends the stream), and passes through.
            state.Observe(tail, ref outcome);
            client.Write(tail);
        }
    }

    /// <inheritdoc/>
    public void WriteFailure(IBufferWriter<byte> client) => client.Write(AnthropicMessagesStreamState.MidStreamError);
}
