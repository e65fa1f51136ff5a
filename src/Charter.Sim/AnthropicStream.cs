// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;

namespace Charter.Sim;

/// <summary>Writes an Anthropic message as named server-sent events, paced like <see cref="ChatStream"/>.</summary>
/// <remarks>
/// Order (WIRE.md §4): <c>message_start</c>, <c>ping</c>, <c>content_block_start</c>, one <c>content_block_delta</c> per token
/// (or per piece of a tool input), <c>content_block_stop</c>, <c>message_delta</c>, <c>message_stop</c>; each event is
/// <c>event: {type}\ndata: {json}\n\n</c>. The first event waits for the time to first token; deltas follow at tokens/s
/// (flushed per delta; with 0 the stream is flushed once at the end). Faults happen half-way: a dropped connection,
/// or an <c>error</c> event and nothing after it.
/// </remarks>
internal sealed class AnthropicStream : SimStream
{
    private readonly AnthropicMessage _message;

    public AnthropicStream(AnthropicMessage message, TimeProvider time, TimeSpan timeToFirstToken, double tokensPerSecond, bool drop, bool error)
        : base(time, timeToFirstToken, tokensPerSecond, drop, error)
    {
        _message = message;
    }

    /// <inheritdoc />
    protected override async Task<StreamOutcome> WriteEventsAsync(PipeWriter output, Utf8JsonWriter w, CancellationToken cancellationToken)
    {
        var m = _message;
        if (TimeToFirstToken > TimeSpan.Zero)
        {
            await Task.Delay(TimeToFirstToken, Time, cancellationToken).ConfigureAwait(false);
        }

        Begin(output, w, "message_start"u8);
        AnthropicWriter.WriteMessageStart(w, m);
        End(output, w);
        Begin(output, w, "ping"u8);
        AnthropicWriter.WritePing(w);
        End(output, w);
        Begin(output, w, "content_block_start"u8);
        AnthropicWriter.WriteBlockStart(w, m);
        End(output, w);

        var steps = m.Steps;
        var dropAt = Drop || Error ? steps / 2 : -1;
        var paced = TokensPerSecond > 0;
        var start = Time.GetTimestamp();
        var offset = 0;
        for (var step = 0; step < steps; step++)
        {
            if (step == dropAt)
            {
                return await FaultAsync(output, w, cancellationToken).ConfigureAwait(false);
            }

            if (paced && step > 0)
            {
                await PaceAsync(Time, start, step, TokensPerSecond, cancellationToken).ConfigureAwait(false);
            }

            Begin(output, w, "content_block_delta"u8);
            if (m.ToolName is null)
            {
                var token = SimText.Token(m.Plan, step);
                AnthropicWriter.WriteTextDelta(w, token[..Math.Min(token.Length, m.TextLength - offset)]);
                offset += token.Length;
            }
            else
            {
                AnthropicWriter.WriteJsonDelta(w, m.ToolPiece(step));
            }

            End(output, w);
            if (paced && !await FlushAsync(output, cancellationToken).ConfigureAwait(false))
            {
                return StreamOutcome.ClientGone;
            }
        }

        if (dropAt == steps)
        {
            // Nothing to stream (a stop sequence at the very start): fault right here.
            return await FaultAsync(output, w, cancellationToken).ConfigureAwait(false);
        }

        Begin(output, w, "content_block_stop"u8);
        AnthropicWriter.WriteBlockStop(w);
        End(output, w);
        Begin(output, w, "message_delta"u8);
        AnthropicWriter.WriteMessageDelta(w, m);
        End(output, w);
        Begin(output, w, "message_stop"u8);
        AnthropicWriter.WriteMessageStop(w);
        End(output, w);
        return await FlushAsync(output, cancellationToken).ConfigureAwait(false) ? StreamOutcome.Completed : StreamOutcome.ClientGone;
    }

    /// <summary>Ends the stream half-way: a dropped connection, or an <c>error</c> event.</summary>
    private async Task<StreamOutcome> FaultAsync(PipeWriter output, Utf8JsonWriter w, CancellationToken cancellationToken)
    {
        if (Drop)
        {
            await FlushAsync(output, cancellationToken).ConfigureAwait(false);
            return StreamOutcome.Dropped;
        }

        Begin(output, w, "error"u8);
        AnthropicWriter.WriteError(w, AnthropicErrors.StreamError, _message.RequestId);
        End(output, w);
        await FlushAsync(output, cancellationToken).ConfigureAwait(false);
        return StreamOutcome.Completed;
    }

    private static void Begin(PipeWriter output, Utf8JsonWriter w, ReadOnlySpan<byte> type)
    {
        output.Write("event: "u8);
        output.Write(type);
        output.Write("\ndata: "u8);
        w.Reset(output);
    }
}
