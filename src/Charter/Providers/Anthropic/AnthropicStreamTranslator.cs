// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text.Json;
using Charter.Errors;
using Charter.Streaming;

namespace Charter.Providers.Anthropic;

/// <summary>Translates Anthropic's named SSE events into OpenAI <c>chat.completion.chunk</c> SSE events (WIRE.md §5).</summary>
/// <remarks>
/// <para>
/// message_start → a chunk with <c>delta{role:"assistant",content:""}</c>; text_delta → <c>delta.content</c>; a tool_use
/// content_block_start → <c>delta.tool_calls[{index:k,id,type:"function",function{name,arguments:""}}]</c> (k counts
/// tool blocks from 0); input_json_delta → <c>delta.tool_calls[{index:k,function{arguments}}]</c>; message_delta →
/// <c>delta{}</c> with the mapped finish_reason; message_stop → the <c>choices:[]</c> usage chunk when usage was asked
/// for, then <c>data: [DONE]</c>. ping, content_block_stop, thinking, signature and citations deltas write nothing. An
/// error event becomes <c>data: {"error":{…}}</c> and ends the translation (no <c>[DONE]</c>).
/// </para>
/// <para>
/// With <c>includeUsage</c>, every chunk before the usage chunk carries <c>"usage":null</c>, as OpenAI's do. One instance
/// per stream; not thread-safe.
/// </para>
/// </remarks>
public sealed class AnthropicStreamTranslator : ISseEventHandler
{
    private readonly JsonEncodedText _model;
    private readonly long _created;
    private readonly bool _includeUsage;
    private readonly ArrayBufferWriter<byte>? _completionText;
    private JsonEncodedText _id = JsonEncodedText.Encode("chatcmpl-"u8);
    private Utf8JsonWriter? _writer;
    private ArrayBufferWriter<byte>? _joinedData;
    private AnthropicUsageCounts _usage;
    private int[] _toolByBlock = new int[8];
    private int _tools;
    private bool _ended;

    /// <summary>Creates a translator for one stream.</summary>
    /// <param name="model">The model name the client asked for (each chunk's <c>model</c>).</param>
    /// <param name="created">Unix seconds for each chunk's <c>created</c>.</param>
    /// <param name="includeUsage">Whether the client asked for <c>stream_options.include_usage</c>.</param>
    /// <param name="completionText">Receives the text deltas (JSON-escaped), for a usage estimate if the stream breaks; may be null.</param>
    public AnthropicStreamTranslator(string model, long created, bool includeUsage, ArrayBufferWriter<byte>? completionText)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = JsonEncodedText.Encode(model, AnthropicJson.WriterOptions.Encoder);
        _created = created;
        _includeUsage = includeUsage;
        _completionText = completionText;
    }

    /// <summary>Translates every complete event in <paramref name="data"/>; returns the bytes consumed (a partial trailing event is left).</summary>
    /// <remarks>Same contract as <c>SseRelay.ProcessEvents</c>: call again with the unconsumed bytes followed by new ones.</remarks>
    /// <param name="data">Upstream bytes not yet consumed.</param>
    /// <param name="client">Receives the OpenAI SSE events.</param>
    /// <param name="outcome">Updated with usage, content chunks, <c>[DONE]</c> and errors.</param>
    public int ProcessEvents(ReadOnlySpan<byte> data, IBufferWriter<byte> client, ref StreamOutcome outcome) =>
        SseRelay.ForEachEvent(this, data, client, ref outcome);

    void ISseEventHandler.HandleEvent(ReadOnlySpan<byte> ev, IBufferWriter<byte> client, ref StreamOutcome outcome)
    {
        if (_ended)
        {
            return;
        }

        // Several data lines make one payload joined by newlines (SSE); Anthropic sends one.
        var payload = SseEvent.Fields(ev, ref _joinedData, out var name);
        if (payload.IsEmpty)
        {
            return;
        }

        try
        {
            HandlePayload(name, payload, client, ref outcome);
        }
        catch (JsonException)
        {
            // Not JSON: nothing to translate. A stream that never reaches message_stop is reported by the caller.
        }
    }

    private void HandlePayload(ReadOnlySpan<byte> name, ReadOnlySpan<byte> payload, IBufferWriter<byte> client, ref StreamOutcome outcome)
    {
        JsonSlice type = default, index = default, message = default, block = default, delta = default, usage = default;
        var reader = new Utf8JsonReader(payload);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            ref var target = ref type;
            var known = true;
            if (reader.ValueTextEquals("type"u8)) { target = ref type; }
            else if (reader.ValueTextEquals("index"u8)) { target = ref index; }
            else if (reader.ValueTextEquals("message"u8)) { target = ref message; }
            else if (reader.ValueTextEquals("content_block"u8)) { target = ref block; }
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

        var kind = type.Present ? type.Of(payload) : default;
        if (Is(kind, name, "content_block_delta"u8))
        {
            OnBlockDelta(payload, index, delta.Of(payload), client, ref outcome);
        }
        else if (Is(kind, name, "message_start"u8))
        {
            OnMessageStart(message.Of(payload), client, ref outcome);
        }
        else if (Is(kind, name, "content_block_start"u8))
        {
            OnBlockStart(payload, index, block.Of(payload), client, ref outcome);
        }
        else if (Is(kind, name, "message_delta"u8))
        {
            OnMessageDelta(delta.Of(payload), usage.Of(payload), client, ref outcome);
        }
        else if (Is(kind, name, "message_stop"u8))
        {
            OnMessageStop(client, ref outcome);
        }
        else if (Is(kind, name, "error"u8))
        {
            OnError(payload, client, ref outcome);
        }
    }

    // The data's "type" decides; the event name is the fallback when the data has none.
    private static bool Is(ReadOnlySpan<byte> type, ReadOnlySpan<byte> name, ReadOnlySpan<byte> expected) =>
        type.IsEmpty ? name.SequenceEqual(expected) : AnthropicJson.StringEquals(type, expected);

    private void OnMessageStart(ReadOnlySpan<byte> message, IBufferWriter<byte> client, ref StreamOutcome outcome)
    {
        if (AnthropicJson.IsObject(message))
        {
            var reader = AnthropicJson.ReaderOn(message);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isId = reader.ValueTextEquals("id"u8);
                var isUsage = !isId && reader.ValueTextEquals("usage"u8);
                reader.Read();
                var slice = AnthropicJson.ValueSlice(ref reader);
                if (isId && reader.TokenType == JsonTokenType.String)
                {
                    var id = new ArrayBufferWriter<byte>(64);
                    id.Write("chatcmpl-"u8);
                    var span = id.GetSpan(reader.ValueSpan.Length);
                    id.Advance(reader.ValueIsEscaped ? reader.CopyString(span) : Copy(reader.ValueSpan, span));
                    _id = JsonEncodedText.Encode(id.WrittenSpan, AnthropicJson.WriterOptions.Encoder);
                }
                else if (isUsage)
                {
                    ReadUsage(slice.Of(message), ref outcome);
                }
            }
        }

        var writer = BeginChunk(client);
        writer.WriteString("role"u8, "assistant"u8);
        writer.WriteString("content"u8, ""u8);
        EndChunk(client, default);
    }

    private static int Copy(ReadOnlySpan<byte> from, Span<byte> to)
    {
        from.CopyTo(to);
        return from.Length;
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

    private void OnBlockStart(ReadOnlySpan<byte> payload, JsonSlice index, ReadOnlySpan<byte> block, IBufferWriter<byte> client, ref StreamOutcome outcome)
    {
        if (!AnthropicJson.IsObject(block))
        {
            return;
        }

        JsonSlice type = default, id = default, name = default, text = default;
        var reader = AnthropicJson.ReaderOn(block);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            ref var target = ref type;
            var known = true;
            if (reader.ValueTextEquals("type"u8)) { target = ref type; }
            else if (reader.ValueTextEquals("id"u8)) { target = ref id; }
            else if (reader.ValueTextEquals("name"u8)) { target = ref name; }
            else if (reader.ValueTextEquals("text"u8)) { target = ref text; }
            else { known = false; }

            reader.Read();
            var slice = AnthropicJson.ValueSlice(ref reader);
            if (known && reader.TokenType == JsonTokenType.String)
            {
                target = slice;
            }
        }

        if (AnthropicJson.StringEquals(type.Of(block), "text"u8))
        {
            // A text block starts empty; should it carry text, that is content too.
            WriteText(text.Of(block), client, ref outcome);
            return;
        }

        if (!AnthropicJson.StringEquals(type.Of(block), "tool_use"u8) || !id.Present || !name.Present)
        {
            return;
        }

        var k = _tools++;
        if (AnthropicJson.TryGetInt32(index.Of(payload), out var blockIndex) && blockIndex >= 0)
        {
            if (blockIndex >= _toolByBlock.Length)
            {
                Array.Resize(ref _toolByBlock, Math.Max(blockIndex + 1, _toolByBlock.Length * 2));
            }

            _toolByBlock[blockIndex] = k + 1;
        }

        var writer = BeginChunk(client);
        writer.WriteStartArray("tool_calls"u8);
        writer.WriteStartObject();
        writer.WriteNumber("index"u8, k);
        AnthropicJson.WriteString(writer, "id"u8, id.Of(block));
        writer.WriteString("type"u8, "function"u8);
        writer.WriteStartObject("function"u8);
        AnthropicJson.WriteString(writer, "name"u8, name.Of(block));
        writer.WriteString("arguments"u8, ""u8);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndArray();
        EndChunk(client, default);
    }

    private void OnBlockDelta(ReadOnlySpan<byte> payload, JsonSlice index, ReadOnlySpan<byte> delta, IBufferWriter<byte> client, ref StreamOutcome outcome)
    {
        if (!AnthropicJson.IsObject(delta))
        {
            return;
        }

        JsonSlice type = default, text = default, partialJson = default;
        var reader = AnthropicJson.ReaderOn(delta);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            ref var target = ref type;
            var known = true;
            if (reader.ValueTextEquals("type"u8)) { target = ref type; }
            else if (reader.ValueTextEquals("text"u8)) { target = ref text; }
            else if (reader.ValueTextEquals("partial_json"u8)) { target = ref partialJson; }
            else { known = false; }

            reader.Read();
            var slice = AnthropicJson.ValueSlice(ref reader);
            if (known && reader.TokenType == JsonTokenType.String)
            {
                target = slice;
            }
        }

        if (AnthropicJson.StringEquals(type.Of(delta), "text_delta"u8))
        {
            WriteText(text.Of(delta), client, ref outcome);
            return;
        }

        if (!AnthropicJson.StringEquals(type.Of(delta), "input_json_delta"u8) || !partialJson.Present || AnthropicJson.IsEmptyString(partialJson.Of(delta)))
        {
            return;
        }

        if (!AnthropicJson.TryGetInt32(index.Of(payload), out var blockIndex) || blockIndex < 0 || blockIndex >= _toolByBlock.Length || _toolByBlock[blockIndex] == 0)
        {
            return;
        }

        var writer = BeginChunk(client);
        writer.WriteStartArray("tool_calls"u8);
        writer.WriteStartObject();
        writer.WriteNumber("index"u8, _toolByBlock[blockIndex] - 1);
        writer.WriteStartObject("function"u8);
        AnthropicJson.WriteString(writer, "arguments"u8, partialJson.Of(delta));
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndArray();
        EndChunk(client, default);
    }

    private void WriteText(ReadOnlySpan<byte> text, IBufferWriter<byte> client, ref StreamOutcome outcome)
    {
        if (!AnthropicJson.IsString(text) || AnthropicJson.IsEmptyString(text))
        {
            return;
        }

        var writer = BeginChunk(client);
        AnthropicJson.WriteString(writer, "content"u8, text);
        EndChunk(client, default);
        outcome.ContentChunks++;
        _completionText?.Write(text[1..^1]);
    }

    private void OnMessageDelta(ReadOnlySpan<byte> delta, ReadOnlySpan<byte> usage, IBufferWriter<byte> client, ref StreamOutcome outcome)
    {
        ReadUsage(usage, ref outcome);
        ReadOnlySpan<byte> stopReason = default;
        if (AnthropicJson.IsObject(delta))
        {
            var reader = AnthropicJson.ReaderOn(delta);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isStop = reader.ValueTextEquals("stop_reason"u8);
                reader.Read();
                var slice = AnthropicJson.ValueSlice(ref reader);
                if (isStop)
                {
                    stopReason = slice.Of(delta);
                }
            }
        }

        BeginChunk(client);
        EndChunk(client, AnthropicStopReason.ToFinishReason(stopReason));
    }

    private void OnMessageStop(IBufferWriter<byte> client, ref StreamOutcome outcome)
    {
        if (_includeUsage)
        {
            client.Write("data: "u8);
            var writer = Writer(client);
            writer.WriteStartObject();
            WriteHeader(writer);
            writer.WriteStartArray("choices"u8);
            writer.WriteEndArray();
            writer.WritePropertyName("usage"u8);
            AnthropicUsageCounts.WriteOpenAiUsage(writer, _usage.ToUsage());
            writer.WriteEndObject();
            writer.Flush();
            client.Write("\n\n"u8);
        }

        client.Write("data: [DONE]\n\n"u8);
        outcome.SawDone = true;
        _ended = true;
    }

    private void OnError(ReadOnlySpan<byte> payload, IBufferWriter<byte> client, ref StreamOutcome outcome)
    {
        if (!AnthropicErrorMapper.TryReadEnvelope(payload, out var type, out var message))
        {
            payload = default;
        }

        client.Write("data: "u8);
        var writer = Writer(client);
        AnthropicErrorMapper.WriteOpenAiError(writer, payload, type, message, 0);
        writer.Flush();
        client.Write("\n\n"u8);
        outcome.Error = CharterError.UpstreamError;
        _ended = true;
    }

    private Utf8JsonWriter Writer(IBufferWriter<byte> client)
    {
        if (_writer is null)
        {
            _writer = new Utf8JsonWriter(client, AnthropicJson.WriterOptions);
        }
        else
        {
            _writer.Reset(client);
        }

        return _writer;
    }

    private void WriteHeader(Utf8JsonWriter writer)
    {
        writer.WriteString("id"u8, _id);
        writer.WriteString("object"u8, "chat.completion.chunk"u8);
        writer.WriteNumber("created"u8, _created);
        writer.WriteString("model"u8, _model);
    }

    // Writes "data: {…,"choices":[{"index":0,"delta":{" and returns the writer inside the delta object.
    private Utf8JsonWriter BeginChunk(IBufferWriter<byte> client)
    {
        client.Write("data: "u8);
        var writer = Writer(client);
        writer.WriteStartObject();
        WriteHeader(writer);
        writer.WriteStartArray("choices"u8);
        writer.WriteStartObject();
        writer.WriteNumber("index"u8, 0);
        writer.WriteStartObject("delta"u8);
        return writer;
    }

    // Closes the delta, writes logprobs and finish_reason (null when empty), then the blank line.
    private void EndChunk(IBufferWriter<byte> client, ReadOnlySpan<byte> finishReason)
    {
        var writer = _writer!;
        writer.WriteEndObject();
        writer.WriteNull("logprobs"u8);
        if (finishReason.IsEmpty)
        {
            writer.WriteNull("finish_reason"u8);
        }
        else
        {
            writer.WriteString("finish_reason"u8, finishReason);
        }

        writer.WriteEndObject();
        writer.WriteEndArray();
        if (_includeUsage)
        {
            writer.WriteNull("usage"u8);
        }

        writer.WriteEndObject();
        writer.Flush();
        client.Write("\n\n"u8);
    }
}
