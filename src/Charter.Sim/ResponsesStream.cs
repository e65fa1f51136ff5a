// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;

namespace Charter.Sim;

/// <summary>Writes a Responses API answer as named server-sent events, paced like <see cref="ChatStream"/>.</summary>
/// <remarks>
/// Order (spec <c>ResponseStreamEvent</c>): <c>response.created</c>, <c>response.in_progress</c>, <c>response.output_item.added</c>,
/// then for text <c>response.content_part.added</c>, one <c>response.output_text.delta</c> per token, <c>response.output_text.done</c>,
/// <c>response.content_part.done</c>; for a function call one <c>response.function_call_arguments.delta</c> per piece and
/// <c>response.function_call_arguments.done</c>; then <c>response.output_item.done</c> and <c>response.completed</c>
/// (<c>response.incomplete</c> when max_output_tokens cut the text). Each event is <c>event: {type}\ndata: {json}\n\n</c> with
/// <c>sequence_number</c> counting from 0; there is no <c>[DONE]</c>. The first event waits for the time to first token; deltas
/// follow at tokens/s (flushed per delta; with 0 the stream is flushed once at the end). Faults happen half-way through the
/// deltas: a dropped connection, or an <c>error</c> event and nothing after it. With a <see cref="Store"/>, a stream that writes
/// its final event keeps the final response (as that event carries it) before the last flush, so a client that read the
/// event finds it stored.
/// </remarks>
internal sealed class ResponsesStream : SimStream
{
    private readonly ResponsesAnswer _answer;

    public ResponsesStream(ResponsesAnswer answer, TimeProvider time, TimeSpan timeToFirstToken, double tokensPerSecond, bool drop, bool error)
        : base(time, timeToFirstToken, tokensPerSecond, drop, error)
    {
        _answer = answer;
    }

    /// <summary>Where the final response is kept when the stream completes, or null (<c>store:false</c>).</summary>
    public ResponsesStore? Store { get; init; }

    /// <summary>The request's raw <c>input</c>, kept with the response.</summary>
    public byte[]? Input { get; init; }

    /// <inheritdoc />
    protected override async Task<StreamOutcome> WriteEventsAsync(PipeWriter output, Utf8JsonWriter w, CancellationToken cancellationToken)
    {
        var a = _answer;
        if (TimeToFirstToken > TimeSpan.Zero)
        {
            await Task.Delay(TimeToFirstToken, Time, cancellationToken).ConfigureAwait(false);
        }

        var sequence = 0;
        Begin(output, w, "response.created"u8);
        ResponsesWriter.WriteResponseEvent(w, "response.created"u8, sequence++, a, final: false);
        End(output, w);
        Begin(output, w, "response.in_progress"u8);
        ResponsesWriter.WriteResponseEvent(w, "response.in_progress"u8, sequence++, a, final: false);
        End(output, w);
        Begin(output, w, "response.output_item.added"u8);
        ResponsesWriter.WriteItemEvent(w, "response.output_item.added"u8, sequence++, a, done: false);
        End(output, w);
        var text = a.ToolName is null;
        if (text)
        {
            Begin(output, w, "response.content_part.added"u8);
            ResponsesWriter.WritePartEvent(w, "response.content_part.added"u8, sequence++, a, done: false);
            End(output, w);
        }

        var steps = a.Steps;
        var dropAt = Drop || Error ? steps / 2 : -1;
        var paced = TokensPerSecond > 0;
        var start = Time.GetTimestamp();
        for (var step = 0; step < steps; step++)
        {
            if (step == dropAt)
            {
                return await FaultAsync(output, w, sequence, cancellationToken).ConfigureAwait(false);
            }

            if (paced && step > 0)
            {
                await PaceAsync(Time, start, step, TokensPerSecond, cancellationToken).ConfigureAwait(false);
            }

            if (text)
            {
                Begin(output, w, "response.output_text.delta"u8);
                ResponsesWriter.WriteTextDelta(w, sequence++, a, step);
            }
            else
            {
                Begin(output, w, "response.function_call_arguments.delta"u8);
                ResponsesWriter.WriteArgumentsDelta(w, sequence++, a, step);
            }

            End(output, w);
            if (paced && !await FlushAsync(output, cancellationToken).ConfigureAwait(false))
            {
                return StreamOutcome.ClientGone;
            }
        }

        if (text)
        {
            Begin(output, w, "response.output_text.done"u8);
            ResponsesWriter.WriteTextDone(w, sequence++, a);
            End(output, w);
            Begin(output, w, "response.content_part.done"u8);
            ResponsesWriter.WritePartEvent(w, "response.content_part.done"u8, sequence++, a, done: true);
            End(output, w);
        }
        else
        {
            Begin(output, w, "response.function_call_arguments.done"u8);
            ResponsesWriter.WriteArgumentsDone(w, sequence++, a);
            End(output, w);
        }

        Begin(output, w, "response.output_item.done"u8);
        ResponsesWriter.WriteItemEvent(w, "response.output_item.done"u8, sequence++, a, done: true);
        End(output, w);
        a.CompletedAt = Time.GetUtcNow().ToUnixTimeSeconds();
        var final = a.Incomplete ? "response.incomplete"u8 : "response.completed"u8;
        Begin(output, w, final);
        ResponsesWriter.WriteResponseEvent(w, final, sequence, a, final: true);
        End(output, w);
        if (Store is { } store)
        {
            store.Add(new StoredResponse(a.Id, ResponsesWriter.FinalResponseBytes(a), Input ?? "[]"u8.ToArray()));
        }

        return await FlushAsync(output, cancellationToken).ConfigureAwait(false) ? StreamOutcome.Completed : StreamOutcome.ClientGone;
    }

    /// <summary>Ends the stream half-way: a dropped connection, or an <c>error</c> event.</summary>
    private async Task<StreamOutcome> FaultAsync(PipeWriter output, Utf8JsonWriter w, int sequence, CancellationToken cancellationToken)
    {
        if (Drop)
        {
            await FlushAsync(output, cancellationToken).ConfigureAwait(false);
            return StreamOutcome.Dropped;
        }

        Begin(output, w, "error"u8);
        ResponsesWriter.WriteErrorEvent(w, sequence, SimError.StreamError);
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
