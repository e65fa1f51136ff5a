// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;

namespace Charter.Streaming;

/// <summary>A stream passed through event by event as it came, each event read on the way by <typeparamref name="TObserver"/>
/// (a Responses stream: <see cref="ResponsesStreamState"/>; an Anthropic Messages stream on <c>/v1/messages</c>:
/// <c>AnthropicMessagesStreamState</c>).</summary>
/// <param name="observer">The stream's reader (one per stream).</param>
public readonly struct ObservedSseTransform<TObserver>(TObserver observer) : ISseTransform, ISseEventHandler
    where TObserver : ISseObserver
{
    /// <inheritdoc/>
    public int ProcessEvents(ReadOnlySpan<byte> data, IBufferWriter<byte> client, ref StreamOutcome outcome) =>
        SseRelay.ForEachEvent(this, data, client, ref outcome);

    /// <inheritdoc/>
    void ISseEventHandler.HandleEvent(ReadOnlySpan<byte> ev, IBufferWriter<byte> client, ref StreamOutcome outcome)
    {
        observer.Observe(ev, ref outcome);
        client.Write(ev);
    }

    /// <inheritdoc/>
    public void ProcessTail(ReadOnlySpan<byte> tail, IBufferWriter<byte> client, ref StreamOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (!tail.IsEmpty)
        {
            // A last event without its blank line still counts (a terminal event ends the stream), and passes through.
            observer.Observe(tail, ref outcome);
            client.Write(tail);
        }
    }

    /// <inheritdoc/>
    public void WriteFailure(IBufferWriter<byte> client) => observer.WriteFailure(client);
}
