// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;

namespace Charter.Sim;

/// <summary>A streamed (server-sent events) response body: OpenAI chat or legacy completion chunks, Responses API events or Anthropic events.</summary>
/// <param name="time">The clock the pacing waits on.</param>
/// <param name="timeToFirstToken">Wait before the first event.</param>
/// <param name="tokensPerSecond">Pace of the token events (0: as fast as written).</param>
/// <param name="drop">Abort the connection half-way.</param>
/// <param name="error">End half-way with an error event.</param>
internal abstract class SimStream(TimeProvider time, TimeSpan timeToFirstToken, double tokensPerSecond, bool drop, bool error)
{
    /// <summary>The clock the pacing waits on.</summary>
    protected TimeProvider Time { get; } = time;

    /// <summary>Wait before the first event.</summary>
    protected TimeSpan TimeToFirstToken { get; } = timeToFirstToken;

    /// <summary>Pace of the token events (0: as fast as written).</summary>
    protected double TokensPerSecond { get; } = tokensPerSecond;

    /// <summary>Abort the connection half-way.</summary>
    protected bool Drop { get; } = drop;

    /// <summary>End half-way with an error event.</summary>
    protected bool Error { get; } = error;

    /// <summary>Writes the events to <paramref name="output"/>; never completes the writer. A client that leaves (the
    /// token cancelled, or the reader completed under a write) ends it as <see cref="StreamOutcome.ClientGone"/>.</summary>
    public async Task<StreamOutcome> WriteAsync(PipeWriter output, CancellationToken cancellationToken)
    {
        var w = new Utf8JsonWriter(output, ChatWriter.WriterOptions);
        try
        {
            return await WriteEventsAsync(output, w, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return StreamOutcome.ClientGone;
        }
        catch (InvalidOperationException)
        {
            // The reader completed (client gone) while we were writing.
            return StreamOutcome.ClientGone;
        }
        finally
        {
            await w.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Writes the stream's events with <paramref name="w"/> (reset onto <paramref name="output"/> per event).</summary>
    protected abstract Task<StreamOutcome> WriteEventsAsync(PipeWriter output, Utf8JsonWriter w, CancellationToken cancellationToken);

    /// <summary>Waits until token <paramref name="step"/> is due at <paramref name="tokensPerSecond"/> from
    /// <paramref name="start"/> (a timestamp of <paramref name="time"/>).</summary>
    protected static async Task PaceAsync(TimeProvider time, long start, int step, double tokensPerSecond, CancellationToken cancellationToken)
    {
        var due = TimeSpan.FromSeconds(step / tokensPerSecond) - time.GetElapsedTime(start);
        if (due > TimeSpan.Zero)
        {
            await Task.Delay(due, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Begins a data-only stream (chat, legacy completions): Azure's <c>choices:[]</c> chunk with the prompt filter results
    /// when <paramref name="azurePrompts"/> is above 0 (one per prompt), then the wait for the first token; false when the client left.</summary>
    protected async ValueTask<bool> StartDataAsync(PipeWriter output, Utf8JsonWriter w, int azurePrompts, CancellationToken cancellationToken)
    {
        if (azurePrompts > 0)
        {
            BeginData(output, w);
            ChatWriter.WriteAzurePromptFilterChunk(w, azurePrompts);
            End(output, w);
        }

        if (TimeToFirstToken > TimeSpan.Zero)
        {
            if (azurePrompts > 0 && !await FlushAsync(output, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            await Task.Delay(TimeToFirstToken, Time, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Writes the events of <paramref name="steps"/> generation steps of a data-only stream with <paramref name="writeStep"/>
    /// (given the step), paced at <see cref="TokensPerSecond"/> and flushed per step (with 0: all at once, unflushed); a drawn drop or
    /// stream error ends the stream at step <c>steps / 2</c> (with no step at all: after them).</summary>
    /// <returns>null when every step was written, else how the stream ended.</returns>
    protected async ValueTask<StreamOutcome?> WriteDataStepsAsync<TState>(
        PipeWriter output, Utf8JsonWriter w, int steps, TState state, Action<PipeWriter, Utf8JsonWriter, TState, int> writeStep, CancellationToken cancellationToken)
    {
        var dropAt = Drop || Error ? steps / 2 : -1;
        var paced = TokensPerSecond > 0;
        var start = Time.GetTimestamp();
        for (var step = 0; step < steps; step++)
        {
            if (step == dropAt)
            {
                return await DataFaultAsync(output, w, cancellationToken).ConfigureAwait(false);
            }

            if (paced && step > 0)
            {
                await PaceAsync(Time, start, step, TokensPerSecond, cancellationToken).ConfigureAwait(false);
            }

            writeStep(output, w, state, step);
            if (paced && !await FlushAsync(output, cancellationToken).ConfigureAwait(false))
            {
                return StreamOutcome.ClientGone;
            }
        }

        return dropAt == steps ? await DataFaultAsync(output, w, cancellationToken).ConfigureAwait(false) : null;
    }

    /// <summary>Starts an OpenAI data-only event (<c>data: </c>, chat and legacy completion chunks) and points <paramref name="w"/> at
    /// <paramref name="output"/>.</summary>
    protected static void BeginData(PipeWriter output, Utf8JsonWriter w)
    {
        output.Write("data: "u8);
        w.Reset(output);
    }

    /// <summary>Ends a data-only stream half-way: a dropped connection, or a <c>data: {"error":…}</c> event without <c>[DONE]</c>.</summary>
    protected async Task<StreamOutcome> DataFaultAsync(PipeWriter output, Utf8JsonWriter w, CancellationToken cancellationToken)
    {
        if (Drop)
        {
            await FlushAsync(output, cancellationToken).ConfigureAwait(false);
            return StreamOutcome.Dropped;
        }

        BeginData(output, w);
        Simulator.WriteError(w, SimError.StreamError);
        End(output, w);
        await FlushAsync(output, cancellationToken).ConfigureAwait(false);
        return StreamOutcome.Completed;
    }

    /// <summary>Ends an event: the JSON written, then the blank line.</summary>
    protected static void End(PipeWriter output, Utf8JsonWriter w)
    {
        w.Flush();
        output.Write("\n\n"u8);
    }

    /// <summary>Sends what was written; false when the client is gone.</summary>
    protected static async ValueTask<bool> FlushAsync(PipeWriter output, CancellationToken cancellationToken)
    {
        var result = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return !result.IsCompleted && !result.IsCanceled;
    }
}
