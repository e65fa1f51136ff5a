// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text.Json;
using Charter.Errors;
using Charter.Streaming;

namespace Charter.Providers.Anthropic;

/// <summary>What Charter reads of an Anthropic Messages stream it passes through unchanged (the native <c>/v1/messages</c>
/// endpoint): the usage, the output for the time to first token and an estimate, and the stream's end.</summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>message_start</c> carries the input's usage (<c>message.usage</c>), <c>message_delta</c> the output's (each
/// count present replaces the one before, as Anthropic reports running totals).</item>
/// <item>A <c>content_block_delta</c> (text, thinking, tool input) is output; the text and thinking bytes are kept for a
/// tokenizer estimate when the stream breaks before its usage.</item>
/// <item><c>message_stop</c> ends the stream; an <c>error</c> event ends it as an upstream error.</item>
/// </list>
/// One instance per stream; not thread-safe.
/// </remarks>
/// <param name="completionText">Receives the output text's bytes (JSON-escaped, as they came); may be null.</param>
public sealed class AnthropicMessagesStreamState(ArrayBufferWriter<byte>? completionText) : ISseObserver
{
    private AnthropicUsageCounts _usage;
    private ArrayBufferWriter<byte>? _joined;

    /// <summary>The event that tells an Anthropic client the upstream failed mid-stream.</summary>
    internal static ReadOnlySpan<byte> MidStreamError =>
        "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"The upstream connection failed mid-stream.\"}}\n\n"u8;

    /// <summary>Writes Anthropic's <c>error</c> event.</summary>
    public void WriteFailure(IBufferWriter<byte> client)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.Write(MidStreamError);
    }

    /// <summary>Reads one whole event.</summary>
    public void Observe(ReadOnlySpan<byte> ev, ref StreamOutcome outcome)
    {
        var data = SseEvent.Fields(ev, ref _joined, out var name);
        if (data.IsEmpty || !AnthropicJson.IsObject(data))
        {
            return;
        }

        // Most of a stream is deltas: scanned for their type and text, not read as JSON (a body that is not compact falls
        // through to the reader). Block starts and stops and pings carry nothing Charter reads.
        if (name.SequenceEqual("content_block_delta"u8) ? TryScanDelta(data, ref outcome)
            : name.SequenceEqual("ping"u8) || name.SequenceEqual("content_block_start"u8) || name.SequenceEqual("content_block_stop"u8))
        {
            return;
        }

        try
        {
            Read(name, data, ref outcome);
        }
        catch (JsonException)
        {
            // Not JSON: passed through, nothing read. A stream that never reaches message_stop is reported by the caller.
        }
    }

    private void Read(ReadOnlySpan<byte> name, ReadOnlySpan<byte> data, ref StreamOutcome outcome)
    {
        JsonSlice type = default, message = default, delta = default, usage = default;
        var reader = new Utf8JsonReader(data);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            ref var target = ref type;
            var known = true;
            if (reader.ValueTextEquals("type"u8)) { target = ref type; }
            else if (reader.ValueTextEquals("message"u8)) { target = ref message; }
            else if (reader.ValueTextEquals("delta"u8)) { target = ref delta; }
            else if (reader.ValueTextEquals("usage"u8)) { target = ref usage; }
            else { known = false; }

            reader.Read();
            var slice = AnthropicJson.ValueSlice(ref reader);
            if (known)
            {
                target = slice;
            }
        }

        // The data's type decides; the event name is the fallback when the data has none.
        var kind = type.Present ? type.Of(data) : default;
        if (Is(kind, name, "content_block_delta"u8))
        {
            OnDelta(delta.Of(data), ref outcome);
        }
        else if (Is(kind, name, "message_start"u8))
        {
            ReadUsageUnder(message.Of(data), ref outcome);
        }
        else if (Is(kind, name, "message_delta"u8))
        {
            ReadUsage(usage.Of(data), ref outcome);
        }
        else if (Is(kind, name, "message_stop"u8))
        {
            outcome.SawDone = true;
        }
        else if (Is(kind, name, "error"u8))
        {
            outcome.Error = CharterError.UpstreamError;
        }
    }

    // True when the delta was read by the scan; false leaves it to the JSON reader (a body that is not compact).
    private bool TryScanDelta(ReadOnlySpan<byte> data, ref StreamOutcome outcome)
    {
        if (data.IndexOf("\"type\":\"text_delta\""u8) >= 0)
        {
            return ScanText(data, "\"text\":\""u8, ref outcome);
        }

        if (data.IndexOf("\"type\":\"thinking_delta\""u8) >= 0)
        {
            return ScanText(data, "\"thinking\":\""u8, ref outcome);
        }

        if (data.IndexOf("\"type\":\"input_json_delta\""u8) >= 0)
        {
            outcome.ContentChunks++;
            return true;
        }

        return data.IndexOf("\"type\":\"signature_delta\""u8) >= 0 || data.IndexOf("\"type\":\"citations_delta\""u8) >= 0;
    }

    private bool ScanText(ReadOnlySpan<byte> data, ReadOnlySpan<byte> key, ref StreamOutcome outcome)
    {
        if (data.IndexOf(key) < 0)
        {
            return false;
        }

        outcome.ContentChunks++;
        if (completionText is not null)
        {
            SseRelay.CollectString(data, key, completionText);
        }

        return true;
    }

    private static bool Is(ReadOnlySpan<byte> type, ReadOnlySpan<byte> name, ReadOnlySpan<byte> expected) =>
        type.IsEmpty ? name.SequenceEqual(expected) : AnthropicJson.StringEquals(type, expected);

    private void OnDelta(ReadOnlySpan<byte> delta, ref StreamOutcome outcome)
    {
        if (!AnthropicJson.IsObject(delta))
        {
            return;
        }

        JsonSlice type = default, text = default;
        var reader = AnthropicJson.ReaderOn(delta);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("type"u8);
            var isText = !isType && (reader.ValueTextEquals("text"u8) || reader.ValueTextEquals("thinking"u8));
            reader.Read();
            var slice = AnthropicJson.ValueSlice(ref reader);
            if (reader.TokenType != JsonTokenType.String)
            {
                continue;
            }

            if (isType)
            {
                type = slice;
            }
            else if (isText)
            {
                text = slice;
            }
        }

        var kind = type.Of(delta);
        if (AnthropicJson.StringEquals(kind, "text_delta"u8) || AnthropicJson.StringEquals(kind, "thinking_delta"u8))
        {
            outcome.ContentChunks++;
            if (text.Present)
            {
                completionText?.Write(text.Of(delta)[1..^1]);
            }
        }
        else if (AnthropicJson.StringEquals(kind, "input_json_delta"u8))
        {
            outcome.ContentChunks++;
        }
    }

    private void ReadUsageUnder(ReadOnlySpan<byte> message, ref StreamOutcome outcome)
    {
        if (AnthropicUsageCounts.UsageOf(message) is { IsEmpty: false } usage)
        {
            ReadUsage(usage, ref outcome);
        }
    }

    private void ReadUsage(ReadOnlySpan<byte> usage, ref StreamOutcome outcome)
    {
        if (!AnthropicJson.IsObject(usage))
        {
            return;
        }

        _usage.Read(usage);
        outcome.Usage = _usage.ToUsage();
    }
}
