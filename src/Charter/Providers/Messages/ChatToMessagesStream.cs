// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text.Json;
using Charter.Providers.Anthropic;
using Charter.Providers.Responses;
using Charter.Streaming;

namespace Charter.Providers.Messages;

/// <summary>Translates a chat completions stream (<c>data: {chat.completion.chunk}</c> … <c>data: [DONE]</c>) into the
/// Messages API's named stream events, event by event.</summary>
/// <remarks>
/// <para>
/// Order, as Anthropic sends it:
/// <code>
/// 1 first chunk             message_start (content [], usage 0/0: the real counts come at the end)
/// 2 text delta              [content_block_stop of the open tool block] content_block_start text (once per block)
///                           content_block_delta text_delta
/// 3 tool call, new index    [content_block_stop of the open block] content_block_start tool_use {id,name,input:{}}
///   argument fragment       content_block_delta input_json_delta
/// 4 finish_reason           remembered
/// 5 usage chunk (choices    content_block_stop of the open block, message_delta (stop_reason, usage), message_stop
///   empty) or [DONE]
/// </code>
/// Each event is <c>event: {type}\ndata: {json}\n\n</c>. A <c>refusal</c> delta is text, as <see cref="ChatToMessagesAnswer"/>
/// makes a refusal a text block. A chunk <c>{"error":{…}}</c> becomes an <c>error</c> event (api_error, its message) and
/// nothing more is written. <c>\r\n</c> line ends, comments and events split anywhere are accepted; only the first choice is
/// read; reasoning deltas (<c>reasoning_content</c>) are dropped, as thinking blocks need Anthropic's signatures.
/// </para>
/// <para>
/// A tool call is new when its <c>index</c> was not seen, or when it carries an id other than the open call's at the same
/// index (servers that send whole calls without an index). Fragments of a call whose block was already closed (calls
/// interleaved by index, which OpenAI does not do) go to that call's block index. Usage, in the outcome, is OpenAI's
/// (prompt tokens include cached ones); in <c>message_delta</c> it is Anthropic's (input tokens exclude them).
/// </para>
/// <para>
/// Cost: one <see cref="Utf8JsonWriter"/> per stream, reused for every event; text deltas are copied as the upstream escaped
/// them; nothing is allocated per event (a generated tool id, for a call that came without one, is one string per call).
/// One instance per stream; not thread-safe.
/// </para>
/// </remarks>
public sealed partial class ChatToMessagesStream : ISseEventHandler
{
    private readonly string _messageId;
    private readonly JsonEncodedText _id;
    private readonly JsonEncodedText _model;
    private readonly ArrayBufferWriter<byte>? _completionText;
    private Utf8JsonWriter? _writer;
    private ArrayBufferWriter<byte>? _joinedData;
    private int[] _blockByTool = new int[4];
    private byte[] _openToolId = new byte[64];
    private int _openToolIdLength;
    private int _openToolIndex = -1;
    private int _openBlock = -1;
    private bool _openIsText;
    private int _blocks;
    private int _tools;
    private MessagesStopKind _stop;
    private Usage _usage;
    private bool _started;
    private bool _ended;

    /// <summary>Creates a translator for one stream.</summary>
    /// <param name="messageId">The message's id (<c>msg_…</c>).</param>
    /// <param name="model">The model name the client asked for.</param>
    /// <param name="completionText">Receives the text deltas (JSON-escaped, as the upstream sent them), for a usage estimate
    /// if the stream breaks; may be null.</param>
    public ChatToMessagesStream(string messageId, string model, ArrayBufferWriter<byte>? completionText)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        ArgumentNullException.ThrowIfNull(model);
        _messageId = messageId;
        _id = JsonEncodedText.Encode(messageId, AnthropicJson.WriterOptions.Encoder);
        _model = JsonEncodedText.Encode(model, AnthropicJson.WriterOptions.Encoder);
        _completionText = completionText;
    }

    /// <summary>Translates every complete event in <paramref name="data"/>; returns the bytes consumed (a partial trailing
    /// event is left for the next call, with new bytes appended).</summary>
    /// <remarks>Same contract as <see cref="ISseTransform.ProcessEvents"/>.</remarks>
    /// <param name="data">Upstream bytes not yet consumed.</param>
    /// <param name="client">Receives the Anthropic events.</param>
    /// <param name="outcome">Updated with usage (from the usage chunk), <c>[DONE]</c>, content chunks and an upstream error.</param>
    public int ProcessEvents(ReadOnlySpan<byte> data, IBufferWriter<byte> client, ref StreamOutcome outcome) =>
        SseRelay.ForEachEvent(this, data, client, ref outcome);

    void ISseEventHandler.HandleEvent(ReadOnlySpan<byte> ev, IBufferWriter<byte> client, ref StreamOutcome outcome)
    {
        var payload = SseEvent.Fields(ev, ref _joinedData, out _);
        if (payload.IsEmpty)
        {
            return;
        }

        if (payload.StartsWith("[DONE]"u8))
        {
            outcome.SawDone = true;
            Finish(client);
            return;
        }

        if (_ended)
        {
            return;
        }

        try
        {
            HandleChunk(payload, client, ref outcome);
        }
        catch (JsonException)
        {
            // A chunk that is not JSON carries nothing to translate (the chunk is read whole before anything is written).
        }
    }

    private void HandleChunk(ReadOnlySpan<byte> chunk, IBufferWriter<byte> client, ref StreamOutcome outcome)
    {
        JsonSlice choices = default, usage = default, error = default;
        var reader = new Utf8JsonReader(chunk);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            ref var target = ref choices;
            var known = true;
            if (reader.ValueTextEquals("choices"u8)) { target = ref choices; }
            else if (reader.ValueTextEquals("usage"u8)) { target = ref usage; }
            else if (reader.ValueTextEquals("error"u8)) { target = ref error; }
            else { known = false; }

            reader.Read();
            var slice = AnthropicJson.ValueSlice(ref reader);
            if (known && reader.TokenType != JsonTokenType.Null)
            {
                target = slice;
            }
        }

        if (error.Present)
        {
            WriteError(error.Of(chunk), client, ref outcome);
            return;
        }

        if (!_started)
        {
            Start(client);
        }

        var list = choices.Of(chunk);
        var noChoices = true;
        if (AnthropicJson.IsArray(list))
        {
            var choiceReader = AnthropicJson.ReaderOn(list);
            if (choiceReader.Read() && choiceReader.TokenType == JsonTokenType.StartObject)
            {
                noChoices = false;
                HandleChoice(AnthropicJson.ValueSlice(ref choiceReader).Of(list), client, ref outcome);
            }
        }

        if (ChatUsage.TryRead(usage.Of(chunk), out var u))
        {
            _usage = new Usage { PromptTokens = u.PromptTokens, CompletionTokens = u.CompletionTokens, CachedTokens = u.CachedTokens, Present = true };
            outcome.Usage = _usage;
            if (noChoices)
            {
                Finish(client);
            }
        }
    }

    private void HandleChoice(ReadOnlySpan<byte> choice, IBufferWriter<byte> client, ref StreamOutcome outcome)
    {
        JsonSlice index = default, delta = default, finish = default;
        var reader = AnthropicJson.ReaderOn(choice);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            ref var target = ref delta;
            var known = true;
            if (reader.ValueTextEquals("delta"u8)) { target = ref delta; }
            else if (reader.ValueTextEquals("finish_reason"u8)) { target = ref finish; }
            else if (reader.ValueTextEquals("index"u8)) { target = ref index; }
            else { known = false; }

            reader.Read();
            var slice = AnthropicJson.ValueSlice(ref reader);
            if (known && reader.TokenType != JsonTokenType.Null)
            {
                target = slice;
            }
        }

        if (index.Present && !index.Of(choice).SequenceEqual("0"u8))
        {
            return;
        }

        var d = delta.Of(choice);
        if (AnthropicJson.IsObject(d) && HandleDelta(d, client))
        {
            outcome.ContentChunks++;
        }

        if (finish.Present)
        {
            _stop = MessagesStopReason.FromFinishReason(finish.Of(choice));
        }
    }

    // Writes the delta's text and tool call output; true when there was any.
    private bool HandleDelta(ReadOnlySpan<byte> delta, IBufferWriter<byte> client)
    {
        JsonSlice content = default, refusal = default, toolCalls = default;
        var reader = AnthropicJson.ReaderOn(delta);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            ref var target = ref content;
            var known = true;
            if (reader.ValueTextEquals("content"u8)) { target = ref content; }
            else if (reader.ValueTextEquals("tool_calls"u8)) { target = ref toolCalls; }
            else if (reader.ValueTextEquals("refusal"u8)) { target = ref refusal; }
            else { known = false; }

            reader.Read();
            var slice = AnthropicJson.ValueSlice(ref reader);
            if (known && reader.TokenType != JsonTokenType.Null)
            {
                target = slice;
            }
        }

        var carried = Text(content.Of(delta), client) | Text(refusal.Of(delta), client);
        var calls = toolCalls.Of(delta);
        if (AnthropicJson.IsArray(calls))
        {
            var callReader = AnthropicJson.ReaderOn(calls);
            while (callReader.Read() && callReader.TokenType != JsonTokenType.EndArray)
            {
                var call = AnthropicJson.ValueSlice(ref callReader).Of(calls);
                carried |= AnthropicJson.IsObject(call) && ToolDelta(call, client);
            }
        }

        return carried;
    }

    private bool Text(ReadOnlySpan<byte> raw, IBufferWriter<byte> client)
    {
        if (!AnthropicJson.IsString(raw) || AnthropicJson.IsEmptyString(raw))
        {
            return false;
        }

        if (_openBlock < 0 || !_openIsText)
        {
            CloseBlock(client);
            _openBlock = _blocks++;
            _openIsText = true;
            var s = Begin(client, "content_block_start"u8);
            s.WriteNumber("index"u8, _openBlock);
            s.WriteStartObject("content_block"u8);
            s.WriteString("type"u8, "text"u8);
            s.WriteString("text"u8, ""u8);
            s.WriteEndObject();
            End(s, client);
        }

        var w = Begin(client, "content_block_delta"u8);
        w.WriteNumber("index"u8, _openBlock);
        w.WriteStartObject("delta"u8);
        w.WriteString("type"u8, "text_delta"u8);
        w.WritePropertyName("text"u8);
        w.WriteRawValue(raw, skipInputValidation: true); // a string token the reader has read: valid JSON as it is
        w.WriteEndObject();
        End(w, client);
        _completionText?.Write(raw[1..^1]);
        return true;
    }

    private bool ToolDelta(ReadOnlySpan<byte> call, IBufferWriter<byte> client)
    {
        JsonSlice index = default, id = default, function = default;
        var reader = AnthropicJson.ReaderOn(call);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            ref var target = ref function;
            var known = true;
            if (reader.ValueTextEquals("function"u8)) { target = ref function; }
            else if (reader.ValueTextEquals("index"u8)) { target = ref index; }
            else if (reader.ValueTextEquals("id"u8)) { target = ref id; }
            else { known = false; }

            reader.Read();
            var slice = AnthropicJson.ValueSlice(ref reader);
            if (known && reader.TokenType != JsonTokenType.Null)
            {
                target = slice;
            }
        }

        var k = 0;
        if (index.Present && (!AnthropicJson.TryGetInt32(index.Of(call), out k) || k < 0 || k > 1024))
        {
            return false;
        }

        JsonSlice name = default, arguments = default;
        var fn = function.Of(call);
        if (AnthropicJson.IsObject(fn))
        {
            var fnReader = AnthropicJson.ReaderOn(fn);
            while (fnReader.Read() && fnReader.TokenType == JsonTokenType.PropertyName)
            {
                var isName = fnReader.ValueTextEquals("name"u8);
                var isArguments = !isName && fnReader.ValueTextEquals("arguments"u8);
                fnReader.Read();
                var slice = AnthropicJson.ValueSlice(ref fnReader);
                if (fnReader.TokenType == JsonTokenType.String)
                {
                    name = isName ? slice : name;
                    arguments = isArguments ? slice : arguments;
                }
            }
        }

        if (k >= _blockByTool.Length)
        {
            Array.Resize(ref _blockByTool, Math.Max(k + 1, _blockByTool.Length * 2));
        }

        var rawId = id.Of(call);
        var hasId = AnthropicJson.IsString(rawId) && !AnthropicJson.IsEmptyString(rawId);
        var isNew = _blockByTool[k] == 0
            || (hasId && k == _openToolIndex && _openToolIdLength > 0 && !rawId.SequenceEqual(_openToolId.AsSpan(0, _openToolIdLength)));
        if (isNew)
        {
            StartToolBlock(k, hasId ? rawId : default, name.Of(fn), client);
        }

        var args = arguments.Of(fn);
        if (AnthropicJson.IsEmptyString(args) || args.IsEmpty)
        {
            return isNew;
        }

        var w = Begin(client, "content_block_delta"u8);
        w.WriteNumber("index"u8, _blockByTool[k] - 1);
        w.WriteStartObject("delta"u8);
        w.WriteString("type"u8, "input_json_delta"u8);
        w.WritePropertyName("partial_json"u8);
        w.WriteRawValue(args, skipInputValidation: true); // a string token the reader has read: valid JSON as it is
        w.WriteEndObject();
        End(w, client);
        return true;
    }
}
