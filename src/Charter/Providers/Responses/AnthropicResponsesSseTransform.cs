// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using Charter.Providers.Anthropic;
using Charter.Streaming;

namespace Charter.Providers.Responses;

/// <summary>An Anthropic stream served as a Responses API stream: Anthropic's events become chat chunks
/// (<see cref="AnthropicStreamTranslator"/>), the chunks become Responses events (<see cref="ChatToResponsesStream"/>), and
/// those pass to the client through <see cref="ObservedSseTransform{TObserver}"/>, which reads them as it reads any upstream's
/// Responses stream (sequence numbers, the response's id, the first output).</summary>
/// <param name="stages">The stream's translators and buffers.</param>
public readonly struct AnthropicResponsesSseTransform(AnthropicResponsesStages stages) : ISseTransform
{
    /// <inheritdoc/>
    public int ProcessEvents(ReadOnlySpan<byte> data, IBufferWriter<byte> client, ref StreamOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(client);
        // Event by event, so that the buffers between the stages hold one event's output, however many events a read brought.
        var consumed = 0;
        while (consumed < data.Length)
        {
            var end = SseRelay.FindEventEnd(data[consumed..]);
            if (end < 0)
            {
                break;
            }

            consumed += stages.Anthropic.ProcessEvents(data.Slice(consumed, end), stages.Chunks, ref outcome);
            Pass(client, ref outcome);
        }

        return consumed;
    }

    /// <inheritdoc/>
    public void ProcessTail(ReadOnlySpan<byte> tail, IBufferWriter<byte> client, ref StreamOutcome outcome)
    {
        // An event cut off by the end of the stream is not a whole Anthropic event: nothing of it is relayed.
    }

    /// <inheritdoc/>
    public void WriteFailure(IBufferWriter<byte> client) => stages.Observed.WriteFailure(client);

    private void Pass(IBufferWriter<byte> client, ref StreamOutcome outcome)
    {
        var chunks = stages.Chunks;
        if (chunks.WrittenCount == 0)
        {
            return;
        }

        // The Anthropic translator writes whole chunks only, so everything it wrote is consumed here.
        var used = stages.Responses.ProcessEvents(chunks.WrittenSpan, stages.Events);
        var rest = chunks.WrittenCount - used;
        if (rest > 0)
        {
            var tail = chunks.WrittenSpan[used..].ToArray();
            chunks.ResetWrittenCount();
            chunks.Write(tail);
        }
        else
        {
            chunks.ResetWrittenCount();
        }

        var events = stages.Events;
        if (events.WrittenCount > 0)
        {
            // Usage and the stream's end are the Anthropic translator's (message_delta, message_stop); the Responses events
            // are read for their sequence numbers, the response's id and the first output.
            var usage = outcome.Usage;
            var done = outcome.SawDone;
            new ObservedSseTransform<ResponsesStreamState>(stages.Observed).ProcessEvents(events.WrittenSpan, client, ref outcome);
            outcome.Usage = usage.Present ? usage : outcome.Usage;
            outcome.SawDone = done;
            events.ResetWrittenCount();
        }
    }
}
