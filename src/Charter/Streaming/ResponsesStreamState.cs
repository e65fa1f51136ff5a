// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using Charter.Errors;

namespace Charter.Streaming;

/// <summary>What Charter reads of a Responses stream it passes through (<see cref="ObservedSseTransform{TObserver}"/>).</summary>
/// <remarks>
/// Events are read by name (the <c>event:</c> line, or the data's <c>type</c> when a server sends none):
/// <list type="bullet">
/// <item><c>response.completed</c> and <c>response.incomplete</c> end the stream and carry its usage at
/// <c>response.usage</c>; <c>response.failed</c> ends it as an upstream error.</item>
/// <item>Output deltas (<c>response.output_text.delta</c>, <c>response.refusal.delta</c>,
/// <c>response.function_call_arguments.delta</c>) count as content, for the time to first token; the text deltas'
/// bytes are kept for a tokenizer estimate when the stream breaks before its usage.</item>
/// <item>The last <c>sequence_number</c> seen numbers the error event Charter writes when the upstream fails mid-stream.</item>
/// </list>
/// </remarks>
/// <param name="completionText">Receives the output text's bytes (JSON-escaped, as they came); may be null.</param>
/// <param name="onResponseId">Called once with the response's id, from the first event that carries the response
/// (<c>response.created</c>), before that event reaches the client; may be null.</param>
public sealed class ResponsesStreamState(ArrayBufferWriter<byte>? completionText, Action<string>? onResponseId = null) : ISseObserver
{
    private long _lastSequence = -1;
    private ArrayBufferWriter<byte>? _joined;

    /// <summary>The id of the response being streamed, once an event has carried it.</summary>
    public string? ResponseId { get; private set; }

    /// <summary>The last <c>sequence_number</c> seen (-1: none).</summary>
    public long LastSequenceNumber => _lastSequence;

    /// <summary>Reads one whole event.</summary>
    public void Observe(ReadOnlySpan<byte> ev, ref StreamOutcome outcome)
    {
        var data = SseEvent.Fields(ev, ref _joined, out var name);
        if (data.IsEmpty)
        {
            return;
        }

        ReadSequence(data);
        if (name.IsEmpty)
        {
            name = TypeOf(data);
        }

        if (ResponseId is null && (name.SequenceEqual("response.created"u8) || name.SequenceEqual("response.in_progress"u8)
            || name.SequenceEqual("response.completed"u8) || name.SequenceEqual("response.incomplete"u8)))
        {
            ResponseId = ResponseIdReader.Under(data, "response"u8);
            if (ResponseId is not null)
            {
                onResponseId?.Invoke(ResponseId);
            }
        }

        if (name.SequenceEqual("response.output_text.delta"u8))
        {
            outcome.ContentChunks++;
            if (completionText is not null)
            {
                SseRelay.CollectString(data, "\"delta\":\""u8, completionText);
            }
        }
        else if (name.SequenceEqual("response.refusal.delta"u8) || name.SequenceEqual("response.function_call_arguments.delta"u8))
        {
            outcome.ContentChunks++;
        }
        else if (name.SequenceEqual("response.completed"u8) || name.SequenceEqual("response.incomplete"u8))
        {
            outcome.SawDone = true;
            if (UsageReader.TryReadMember(data, "response"u8, out var usage))
            {
                outcome.Usage = usage;
            }
        }
        else if (name.SequenceEqual("response.failed"u8))
        {
            outcome.SawDone = true;
            outcome.Error = CharterError.UpstreamError;
            if (UsageReader.TryReadMember(data, "response"u8, out var usage))
            {
                outcome.Usage = usage;
            }
        }
    }

    /// <summary>Writes an <c>error</c> event numbered after the last event relayed.</summary>
    public void WriteFailure(IBufferWriter<byte> client)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.Write("event: error\ndata: {\"type\":\"error\",\"code\":\"upstream_error\",\"message\":\"The upstream connection failed mid-stream.\",\"param\":null,\"sequence_number\":"u8);
        var span = client.GetSpan(20);
        Utf8Formatter.TryFormat(_lastSequence + 1, span, out var written);
        client.Advance(written);
        client.Write("}\n\n"u8);
    }

    private void ReadSequence(ReadOnlySpan<byte> data)
    {
        var key = "\"sequence_number\":"u8;
        var at = data.LastIndexOf(key);
        if (at < 0)
        {
            return;
        }

        var rest = data[(at + key.Length)..].TrimStart((byte)' ');
        if (Utf8Parser.TryParse(rest, out long value, out _) && value > _lastSequence)
        {
            _lastSequence = value;
        }
    }

    private static ReadOnlySpan<byte> TypeOf(ReadOnlySpan<byte> data)
    {
        try
        {
            var reader = new Utf8JsonReader(data);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return default;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals("type"u8);
                reader.Read();
                if (isType)
                {
                    return reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && !reader.HasValueSequence
                        ? data.Slice((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length)
                        : default;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not JSON: not an event Charter reads.
        }

        return default;
    }
}
