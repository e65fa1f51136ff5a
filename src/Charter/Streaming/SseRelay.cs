// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Charter.Errors;
using Charter.Forwarding;

namespace Charter.Streaming;

/// <summary>Relays an upstream SSE stream to the client event by event, reading usage on the way.</summary>
/// <remarks>
/// One pooled buffer per stream (grown only for an event larger than it), no allocation per chunk; each upstream
/// read is flushed to the client at once, so the first token reaches the client while the upstream is still
/// generating. When Charter asked for <c>include_usage</c> on the client's behalf, the usage chunk and the
/// <c>"usage":null</c> fields are removed, so the client sees exactly the stream it asked for.
/// Completion text bytes are copied aside (not delaying the client) so usage can be estimated if the stream breaks.
/// </remarks>
public static class SseRelay
{
    private static ReadOnlySpan<byte> Done => "[DONE]"u8;

    private static ReadOnlySpan<byte> UsageNull => ",\"usage\":null"u8;

    private static ReadOnlySpan<byte> EmptyChoices => "\"choices\":[]"u8;

    private static ReadOnlySpan<byte> PromptFilterResults => "\"prompt_filter_results\""u8;

    /// <summary>The chunk that tells a Chat Completions client the upstream failed mid-stream.</summary>
    internal static ReadOnlySpan<byte> ChatMidStreamError => "data: {\"error\":{\"message\":\"The upstream connection failed mid-stream.\",\"type\":\"api_error\",\"param\":null,\"code\":\"upstream_error\"}}\n\n"u8;

    /// <summary>Relays <paramref name="upstream"/> to <paramref name="client"/> until <c>[DONE]</c>, end of stream, or an error.</summary>
    /// <param name="upstream">The upstream response body.</param>
    /// <param name="client">The client's response body writer.</param>
    /// <param name="stripUsage">Remove the usage chunk and <c>usage:null</c> fields (Charter added include_usage).</param>
    /// <param name="completionText">Receives the raw content bytes, for a tokenizer estimate when usage is missing; may be null.</param>
    /// <param name="idleTimeout">Longest wait for the next upstream bytes.</param>
    /// <param name="clientAborted">The client's abort token.</param>
    public static Task<StreamOutcome> RelayAsync(Stream upstream, PipeWriter client, bool stripUsage, ArrayBufferWriter<byte>? completionText, TimeSpan idleTimeout, CancellationToken clientAborted) =>
        RelayAsync(upstream, client, new OpenAiSseTransform(stripUsage, completionText), idleTimeout, clientAborted);

    /// <summary>Relays <paramref name="upstream"/> to <paramref name="client"/> through <paramref name="transform"/> until the
    /// transform has seen the stream's end, the upstream closes, or an error.</summary>
    /// <param name="upstream">The upstream response body.</param>
    /// <param name="client">The client's response body writer.</param>
    /// <param name="transform">What is written for each upstream event.</param>
    /// <param name="idleTimeout">Longest wait for the next upstream bytes.</param>
    /// <param name="clientAborted">The client's abort token.</param>
    public static async Task<StreamOutcome> RelayAsync<TTransform>(Stream upstream, PipeWriter client, TTransform transform, TimeSpan idleTimeout, CancellationToken clientAborted)
        where TTransform : ISseTransform
    {
        ArgumentNullException.ThrowIfNull(upstream);
        ArgumentNullException.ThrowIfNull(client);
        var outcome = default(StreamOutcome);
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var filled = 0;
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(clientAborted);
        try
        {
            while (true)
            {
                if (filled == buffer.Length)
                {
                    buffer = PooledBuffer.Grow(buffer, filled, buffer.Length * 2);
                }

                int read;
                idle.CancelAfter(idleTimeout);
                try
                {
                    read = await upstream.ReadAsync(buffer.AsMemory(filled), idle.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (clientAborted.IsCancellationRequested)
                {
                    outcome.Error = CharterError.ClientDisconnected;
                    return outcome;
                }
                catch (OperationCanceledException)
                {
                    outcome.Error = CharterError.UpstreamTimeout;
                    await TryWriteFailureAsync(client, transform).ConfigureAwait(false);
                    return outcome;
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException)
                {
                    outcome.Error = CharterError.UpstreamError;
                    await TryWriteFailureAsync(client, transform).ConfigureAwait(false);
                    return outcome;
                }

                if (read == 0)
                {
                    if (filled > 0)
                    {
                        transform.ProcessTail(buffer.AsSpan(0, filled), client, ref outcome);
                        filled = 0;
                    }

                    if (!outcome.SawDone)
                    {
                        outcome.Error = CharterError.UpstreamError;
                    }

                    break;
                }

                filled += read;
                var consumed = transform.ProcessEvents(buffer.AsSpan(0, filled), client, ref outcome);
                if (consumed > 0)
                {
                    buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                    filled -= consumed;
                    // The first flush that carries bytes (not one after a ping or a stripped chunk) is the first token's.
                    var first = outcome.FirstFlushTimestamp == 0 && (!client.CanGetUnflushedBytes || client.UnflushedBytes > 0);
                    var firstContent = outcome.FirstContentTimestamp == 0 && outcome.ContentChunks > 0;
                    var flush = await client.FlushAsync(clientAborted).ConfigureAwait(false);
                    if (flush.IsCanceled || flush.IsCompleted)
                    {
                        outcome.Error = CharterError.ClientDisconnected;
                        return outcome;
                    }

                    if (first || firstContent)
                    {
                        var now = Stopwatch.GetTimestamp();
                        outcome.FirstFlushTimestamp = first ? now : outcome.FirstFlushTimestamp;
                        outcome.FirstContentTimestamp = firstContent ? now : outcome.FirstContentTimestamp;
                    }
                }

                if ((outcome.SawDone && filled == 0) || outcome.Error != CharterError.None)
                {
                    break;
                }
            }

            await client.FlushAsync(clientAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            outcome.Error = CharterError.ClientDisconnected;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return outcome;
    }

    /// <summary>Processes every complete event in <paramref name="data"/>; returns the bytes consumed.</summary>
    internal static int ProcessEvents(ReadOnlySpan<byte> data, IBufferWriter<byte> client, bool stripUsage, ArrayBufferWriter<byte>? completionText, ref StreamOutcome outcome,
        bool legacyText = false)
    {
        var start = 0;
        while (start < data.Length)
        {
            var rest = data[start..];
            var end = FindEventEnd(rest);
            if (end < 0)
            {
                break;
            }

            var ev = rest[..end];
            HandleEvent(ev, client, stripUsage, completionText, ref outcome, legacyText);
            start += end;
        }

        return start;
    }

    private static void HandleEvent(ReadOnlySpan<byte> ev, IBufferWriter<byte> client, bool stripUsage, ArrayBufferWriter<byte>? completionText, ref StreamOutcome outcome,
        bool legacyText)
    {
        var data = DataOf(ev);
        if (data.StartsWith(Done))
        {
            outcome.SawDone = true;
            Write(client, ev);
            return;
        }

        if (UsageReader.TryRead(data, out var usage))
        {
            outcome.Usage = usage;
            if (stripUsage && data.IndexOf(EmptyChoices) >= 0)
            {
                return;
            }
        }
        else if (data.IndexOf(EmptyChoices) >= 0 && data.IndexOf(PromptFilterResults) >= 0)
        {
            // Azure's leading content-filter annotation chunk (empty id/object/model) is not a valid OpenAI chunk:
            // strict clients reject it, so it is not relayed.
            return;
        }

        if (completionText is not null)
        {
            CollectContent(data, legacyText ? "\"text\":\""u8 : "\"content\":\""u8, completionText, ref outcome);
        }

        if (stripUsage)
        {
            var at = ev.IndexOf(UsageNull);
            if (at >= 0)
            {
                Write(client, ev[..at]);
                Write(client, ev[(at + UsageNull.Length)..]);
                return;
            }
        }

        Write(client, ev);
    }

    private static void CollectContent(ReadOnlySpan<byte> data, ReadOnlySpan<byte> key, ArrayBufferWriter<byte> sink, ref StreamOutcome outcome)
    {
        if (CollectString(data, key, sink))
        {
            outcome.ContentChunks++;
        }
    }

    /// <summary>Copies the (still JSON-escaped) text of the first non-empty string after <paramref name="key"/> (a member name,
    /// its colon and the opening quote) into <paramref name="sink"/>; false when there is none.</summary>
    internal static bool CollectString(ReadOnlySpan<byte> data, ReadOnlySpan<byte> key, ArrayBufferWriter<byte> sink)
    {
        var at = data.IndexOf(key);
        if (at < 0)
        {
            return false;
        }

        var s = data[(at + key.Length)..];
        var i = 0;
        while (i < s.Length && s[i] != (byte)'"')
        {
            i += s[i] == (byte)'\\' ? 2 : 1;
        }

        if (i == 0)
        {
            return false;
        }

        sink.Write(s[..Math.Min(i, s.Length)]);
        return true;
    }

    /// <summary>The value of the event's first <c>data:</c> line (empty when it has none).</summary>
    private static ReadOnlySpan<byte> DataOf(ReadOnlySpan<byte> ev)
    {
        // Events are "data: {...}\n\n" (one data line); tolerate "data:" without the space and leading comment lines.
        var at = ev.IndexOf("data:"u8);
        if (at < 0)
        {
            return default;
        }

        var d = ev[(at + 5)..];
        if (!d.IsEmpty && d[0] == (byte)' ')
        {
            d = d[1..];
        }

        var nl = d.IndexOfAny((byte)'\r', (byte)'\n');
        return nl >= 0 ? d[..nl] : d;
    }

    /// <summary>Hands every whole event of <paramref name="data"/> to <paramref name="handler"/>; returns the bytes consumed
    /// (a partial event at the end is left for the next call, with new bytes appended).</summary>
    internal static int ForEachEvent<THandler>(THandler handler, ReadOnlySpan<byte> data, IBufferWriter<byte> client, ref StreamOutcome outcome)
        where THandler : ISseEventHandler
    {
        ArgumentNullException.ThrowIfNull(client);
        var start = 0;
        while (start < data.Length)
        {
            var end = FindEventEnd(data[start..]);
            if (end < 0)
            {
                break;
            }

            handler.HandleEvent(data.Slice(start, end), client, ref outcome);
            start += end;
        }

        return start;
    }

    /// <summary>Where the first event of <paramref name="data"/> ends, its blank line ("\n\n" or "\r\n\r\n") included;
    /// -1 when the event is not complete yet.</summary>
    internal static int FindEventEnd(ReadOnlySpan<byte> data)
    {
        var offset = 0;
        while (true)
        {
            var nl = data[offset..].IndexOf((byte)'\n');
            if (nl < 0)
            {
                return -1;
            }

            var p = offset + nl + 1;
            if (p < data.Length && data[p] == (byte)'\n')
            {
                return p + 1;
            }

            if (p + 1 < data.Length && data[p] == (byte)'\r' && data[p + 1] == (byte)'\n')
            {
                return p + 2;
            }

            if (p >= data.Length)
            {
                return -1;
            }

            offset = p;
        }
    }

    private static void Write(IBufferWriter<byte> writer, ReadOnlySpan<byte> bytes)
    {
        if (!bytes.IsEmpty)
        {
            writer.Write(bytes);
        }
    }

    private static async Task TryWriteFailureAsync<TTransform>(PipeWriter client, TTransform transform)
        where TTransform : ISseTransform
    {
        try
        {
            transform.WriteFailure(client);
            await client.FlushAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The client is gone too.
        }
    }
}
