// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Charter.Providers.Anthropic;
using Charter.Streaming;

namespace Charter.Providers.Responses;

/// <summary>Translates a chat completions stream (<c>data: {chat.completion.chunk}</c> events) into the Responses API's named
/// stream events, shaped like the simulator's (<c>Charter.Sim.ResponsesStream</c>).</summary>
/// <remarks>
/// <para>
/// Order: on the first chunk <c>response.created</c> and <c>response.in_progress</c> (status in_progress, <c>output:[]</c>, no
/// usage). The first text delta opens the message item (<c>response.output_item.added</c>, <c>response.content_part.added</c>);
/// each text delta is a <c>response.output_text.delta</c>. Each new tool call (by its chat <c>index</c>) closes the open message
/// item and opens a <c>function_call</c> item (<c>response.output_item.added</c>, arguments <c>""</c>); argument fragments are
/// <c>response.function_call_arguments.delta</c>. A non-null <c>finish_reason</c> closes the open items
/// (<c>response.output_text.done</c>, <c>response.content_part.done</c>, <c>response.output_item.done</c>;
/// <c>response.function_call_arguments.done</c>, <c>response.output_item.done</c>). The usage chunk (or <c>data: [DONE]</c>,
/// whichever comes first) writes <c>response.completed</c>, or <c>response.incomplete</c> when the finish was <c>length</c>
/// or <c>content_filter</c>, carrying the whole response as <see cref="ChatToResponsesAnswer"/> writes it. Each event is
/// <c>event: {type}\ndata: {json}\n\n</c>, <c>sequence_number</c> counting from 0; there is no <c>[DONE]</c>.
/// </para>
/// <para>
/// A chunk <c>{"error":{…}}</c> becomes an <c>error</c> event (<c>code</c> = the error's code, else its type) and ends the
/// translation. Refusal deltas and chunk log-probabilities are not carried (deltas have <c>logprobs:[]</c>). Only the first
/// choice is read. One instance per stream; not thread-safe. Dispose it to return its buffers to the pool.
/// </para>
/// </remarks>
public sealed class ChatToResponsesStream : IDisposable
{
    private readonly ResponsesEcho _echo;
    private readonly string _suffix;
    private readonly List<ResponsesStreamItem> _items = [];
    private ResponsesStreamItem?[] _toolsByIndex = new ResponsesStreamItem?[4];
    private ResponsesStreamItem? _openMessage;
    private ArrayBufferWriter<byte>? _joinedData;
    private byte[]? _model;
    private Utf8JsonWriter? _writer;
    private int _sequence;
    private int _messages;
    private bool _started;
    private ResponseStatus _status = ResponseStatus.Completed;
    private byte[] _incompleteReason = [];
    private ChatUsage? _usage;

    /// <summary>Creates a translator for one stream.</summary>
    /// <param name="echo">The response id, times and echoed request members (see <see cref="ResponsesEcho.FromRequest"/>).</param>
    public ChatToResponsesStream(in ResponsesEcho echo)
    {
        _echo = echo;
        ResponseId = echo.ResponseId ?? "resp_";
        _suffix = ResponsesJson.ItemSuffix(ResponseId);
    }

    /// <summary>The response id every event's response carries.</summary>
    public string ResponseId { get; }

    /// <summary>Whether a terminal event was written (<c>response.completed</c>, <c>response.incomplete</c> or <c>error</c>);
    /// nothing more is written after it.</summary>
    public bool Completed { get; private set; }

    /// <summary>Whether the terminal event was an <c>error</c> event (an upstream error chunk).</summary>
    public bool Failed { get; private set; }

    /// <summary>Whether the upstream's usage was seen.</summary>
    public bool HasUsage => _usage.HasValue;

    /// <summary>The upstream's <c>prompt_tokens</c> (0 until the usage chunk).</summary>
    public int PromptTokens => _usage?.PromptTokens ?? 0;

    /// <summary>The upstream's <c>completion_tokens</c> (0 until the usage chunk).</summary>
    public int CompletionTokens => _usage?.CompletionTokens ?? 0;

    /// <summary>The upstream's <c>prompt_tokens_details.cached_tokens</c> (0 until the usage chunk).</summary>
    public int CachedTokens => _usage?.CachedTokens ?? 0;

    /// <summary>Translates every complete event in <paramref name="chatSse"/>; returns the bytes consumed (a partial trailing
    /// event is left for the next call, with new bytes appended). CRLF line ends are accepted.</summary>
    /// <param name="chatSse">Upstream bytes not yet consumed.</param>
    /// <param name="client">Receives the Responses events.</param>
    public int ProcessEvents(ReadOnlySpan<byte> chatSse, IBufferWriter<byte> client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var start = 0;
        while (start < chatSse.Length)
        {
            var end = SseRelay.FindEventEnd(chatSse[start..]);
            if (end < 0)
            {
                break;
            }

            if (!Completed)
            {
                HandleEvent(chatSse.Slice(start, end), client);
            }

            start += end;
        }

        return start;
    }

    /// <summary>Called when the upstream stream ends. Writes nothing: after a terminal event there is nothing to add, and a
    /// stream that ended without its usage chunk or <c>[DONE]</c> (<see cref="Completed"/> false) is the gateway's to end with
    /// its own failure event.</summary>
    /// <param name="client">The client's writer (unused).</param>
    public void Finish(IBufferWriter<byte> client) => ArgumentNullException.ThrowIfNull(client);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var item in _items)
        {
            item.Dispose();
        }

        _items.Clear();
        _joinedData = null;
        _writer?.Dispose();
        _writer = null;
    }

    private void HandleEvent(ReadOnlySpan<byte> ev, IBufferWriter<byte> client)
    {
        var payload = SseEvent.Fields(ev, ref _joinedData, out _);
        if (payload.IsEmpty)
        {
            return;
        }

        if (payload.StartsWith("[DONE]"u8))
        {
            Terminal(client);
            return;
        }

        try
        {
            HandleChunk(payload, client);
        }
        catch (JsonException)
        {
            // A chunk that is not JSON carries nothing to translate.
        }
    }

    private void HandleChunk(ReadOnlySpan<byte> chunk, IBufferWriter<byte> client)
    {
        if (!AnthropicJson.IsObject(chunk))
        {
            return;
        }

        var error = ResponsesJson.Member(chunk, "error"u8).Of(chunk);
        if (AnthropicJson.IsObject(error))
        {
            WriteError(error, client);
            return;
        }

        if (!_started)
        {
            var model = ResponsesJson.Member(chunk, "model"u8).Of(chunk);
            if (AnthropicJson.IsString(model))
            {
                var reader = AnthropicJson.ReaderOn(model);
                _model = reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString() ?? string.Empty) : reader.ValueSpan.ToArray();
            }

            Start(client);
        }

        var choices = ResponsesJson.Member(chunk, "choices"u8).Of(chunk);
        if (AnthropicJson.IsArray(choices))
        {
            var reader = AnthropicJson.ReaderOn(choices);
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                HandleChoice(AnthropicJson.ValueSlice(ref reader).Of(choices), client);
            }
        }

        var usage = ResponsesJson.Member(chunk, "usage"u8).Of(chunk);
        if (ChatUsage.TryRead(usage, out var u))
        {
            _usage = u;
            Terminal(client);
        }
    }

    private void HandleChoice(ReadOnlySpan<byte> choice, IBufferWriter<byte> client)
    {
        var delta = ResponsesJson.Member(choice, "delta"u8).Of(choice);
        var content = ResponsesJson.Member(delta, "content"u8).Of(delta);
        if (AnthropicJson.IsString(content) && !AnthropicJson.IsEmptyString(content))
        {
            TextDelta(content, client);
        }

        var toolCalls = ResponsesJson.Member(delta, "tool_calls"u8).Of(delta);
        if (AnthropicJson.IsArray(toolCalls))
        {
            var reader = AnthropicJson.ReaderOn(toolCalls);
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                ToolDelta(AnthropicJson.ValueSlice(ref reader).Of(toolCalls), client);
            }
        }

        var finish = ResponsesJson.Member(choice, "finish_reason"u8).Of(choice);
        if (AnthropicJson.IsString(finish))
        {
            _status = ResponsesJson.StatusOf(finish, out var reason);
            _incompleteReason = reason.ToArray();
            CloseItems(client);
        }
    }

    private void TextDelta(ReadOnlySpan<byte> rawText, IBufferWriter<byte> client)
    {
        if (_openMessage is not { } item)
        {
            var id = _messages == 0 ? "msg_" + _suffix : "msg_" + _suffix + "_" + _messages.ToString(CultureInfo.InvariantCulture);
            _messages++;
            item = _openMessage = new ResponsesStreamItem(isMessage: true, Encoding.UTF8.GetBytes(id), _items.Count);
            _items.Add(item);
            var w = Begin(client, "response.output_item.added"u8);
            w.WriteNumber("output_index"u8, item.OutputIndex);
            w.WritePropertyName("item"u8);
            ResponsesJson.WriteMessageItem(w, item.Id, "in_progress"u8, done: false, default, default, default);
            End(w, client);
            w = BeginInItem(client, "response.content_part.added"u8, item);
            w.WriteNumber("content_index"u8, 0);
            w.WritePropertyName("part"u8);
            ResponsesJson.WriteTextPart(w, default, default);
            End(w, client);
        }

        AnthropicJson.AppendUnescaped(rawText, item.Data);
        var d = BeginInItem(client, "response.output_text.delta"u8, item);
        d.WriteNumber("content_index"u8, 0);
        AnthropicJson.WriteString(d, "delta"u8, rawText);
        d.WriteStartArray("logprobs"u8);
        d.WriteEndArray();
        End(d, client);
    }

    private void ToolDelta(ReadOnlySpan<byte> call, IBufferWriter<byte> client)
    {
        var index = 0;
        var rawIndex = ResponsesJson.Member(call, "index"u8).Of(call);
        if (!rawIndex.IsEmpty && (!AnthropicJson.TryGetInt32(rawIndex, out index) || index < 0 || index > 1024))
        {
            return;
        }

        if (index >= _toolsByIndex.Length)
        {
            Array.Resize(ref _toolsByIndex, Math.Max(index + 1, _toolsByIndex.Length * 2));
        }

        var function = ResponsesJson.Member(call, "function"u8).Of(call);
        var item = _toolsByIndex[index];
        if (item is null)
        {
            CloseMessage(client);
            var id = "fc_" + _suffix + "_" + index.ToString(CultureInfo.InvariantCulture);
            item = new ResponsesStreamItem(isMessage: false, Encoding.UTF8.GetBytes(id), _items.Count)
            {
                CallId = new PooledByteWriter(64),
                Name = new PooledByteWriter(64),
            };
            _items.Add(item);
            _toolsByIndex[index] = item;
            var callId = ResponsesJson.Member(call, "id"u8).Of(call);
            if (AnthropicJson.IsString(callId))
            {
                AnthropicJson.AppendUnescaped(callId, item.CallId);
            }
            else
            {
                item.CallId.Append(item.Id);
            }

            var name = ResponsesJson.Member(function, "name"u8).Of(function);
            if (AnthropicJson.IsString(name))
            {
                AnthropicJson.AppendUnescaped(name, item.Name);
            }

            var w = Begin(client, "response.output_item.added"u8);
            w.WriteNumber("output_index"u8, item.OutputIndex);
            w.WritePropertyName("item"u8);
            ResponsesJson.WriteFunctionCallItem(w, item.Id, "in_progress"u8, default, item.CallId.WrittenSpan, item.Name.WrittenSpan);
            End(w, client);
        }

        var arguments = ResponsesJson.Member(function, "arguments"u8).Of(function);
        if (item.Done || !AnthropicJson.IsString(arguments) || AnthropicJson.IsEmptyString(arguments))
        {
            return;
        }

        AnthropicJson.AppendUnescaped(arguments, item.Data);
        var d = BeginInItem(client, "response.function_call_arguments.delta"u8, item);
        AnthropicJson.WriteString(d, "delta"u8, arguments);
        End(d, client);
    }

    private void Start(IBufferWriter<byte> client)
    {
        _started = true;
        WriteResponseEvent(client, "response.created"u8, ResponseStatus.InProgress);
        WriteResponseEvent(client, "response.in_progress"u8, ResponseStatus.InProgress);
    }

    private void Terminal(IBufferWriter<byte> client)
    {
        if (Completed)
        {
            return;
        }

        if (!_started)
        {
            Start(client);
        }

        CloseItems(client);
        WriteResponseEvent(client, _status == ResponseStatus.Incomplete ? "response.incomplete"u8 : "response.completed"u8, _status);
        Completed = true;
    }

    private void WriteResponseEvent(IBufferWriter<byte> client, ReadOnlySpan<byte> type, ResponseStatus status)
    {
        var w = Begin(client, type);
        w.WritePropertyName("response"u8);
        ResponsesJson.WriteResponseHead(w, _echo, _model, status, _incompleteReason);
        if (status != ResponseStatus.InProgress)
        {
            foreach (var item in _items)
            {
                WriteItem(w, item, ItemStatus());
            }
        }

        ResponsesJson.WriteResponseTail(w, _echo, status == ResponseStatus.InProgress ? null : _usage);
        End(w, client);
    }

    private ReadOnlySpan<byte> ItemStatus() => _status == ResponseStatus.Incomplete ? "incomplete"u8 : "completed"u8;

    private static void WriteItem(Utf8JsonWriter w, ResponsesStreamItem item, ReadOnlySpan<byte> status)
    {
        if (item.IsMessage)
        {
            ResponsesJson.WriteMessageItem(w, item.Id, status, done: true, item.Data.WrittenSpan, default, default);
        }
        else
        {
            ResponsesJson.WriteFunctionCallItem(w, item.Id, status, item.Data.WrittenSpan, item.CallId!.WrittenSpan, item.Name!.WrittenSpan);
        }
    }

    private void CloseItems(IBufferWriter<byte> client)
    {
        foreach (var item in _items)
        {
            if (item.Done)
            {
                continue;
            }

            if (item.IsMessage)
            {
                CloseMessage(client);
            }
            else
            {
                var w = BeginInItem(client, "response.function_call_arguments.done"u8, item);
                w.WriteString("name"u8, item.Name!.WrittenSpan);
                w.WriteString("arguments"u8, item.Data.WrittenSpan);
                End(w, client);
                WriteItemDone(client, item);
            }
        }
    }

    private void CloseMessage(IBufferWriter<byte> client)
    {
        if (_openMessage is not { } item)
        {
            return;
        }

        _openMessage = null;
        var w = BeginInItem(client, "response.output_text.done"u8, item);
        w.WriteNumber("content_index"u8, 0);
        w.WriteString("text"u8, item.Data.WrittenSpan);
        w.WriteStartArray("logprobs"u8);
        w.WriteEndArray();
        End(w, client);
        w = BeginInItem(client, "response.content_part.done"u8, item);
        w.WriteNumber("content_index"u8, 0);
        w.WritePropertyName("part"u8);
        ResponsesJson.WriteTextPart(w, item.Data.WrittenSpan, default);
        End(w, client);
        WriteItemDone(client, item);
    }

    private void WriteItemDone(IBufferWriter<byte> client, ResponsesStreamItem item)
    {
        item.Done = true;
        var w = Begin(client, "response.output_item.done"u8);
        w.WriteNumber("output_index"u8, item.OutputIndex);
        w.WritePropertyName("item"u8);
        WriteItem(w, item, ItemStatus());
        End(w, client);
    }

    private void WriteError(ReadOnlySpan<byte> error, IBufferWriter<byte> client)
    {
        var w = Begin(client, "error"u8);
        var code = ResponsesJson.Member(error, "code"u8).Of(error);
        if (!AnthropicJson.IsString(code))
        {
            code = ResponsesJson.Member(error, "type"u8).Of(error);
        }

        if (AnthropicJson.IsString(code))
        {
            AnthropicJson.WriteString(w, "code"u8, code);
        }
        else
        {
            w.WriteString("code"u8, "server_error"u8);
        }

        var message = ResponsesJson.Member(error, "message"u8).Of(error);
        if (AnthropicJson.IsString(message))
        {
            AnthropicJson.WriteString(w, "message"u8, message);
        }
        else
        {
            w.WriteString("message"u8, "The upstream stream failed."u8);
        }

        w.WriteNull("param"u8);
        End(w, client);
        Completed = true;
        Failed = true;
    }

    private Utf8JsonWriter Begin(IBufferWriter<byte> client, ReadOnlySpan<byte> type)
    {
        client.Write("event: "u8);
        client.Write(type);
        client.Write("\ndata: "u8);
        var w = _writer ??= new Utf8JsonWriter(client, AnthropicJson.WriterOptions);
        w.Reset(client);
        w.WriteStartObject();
        w.WriteString("type"u8, type);
        w.WriteNumber("sequence_number"u8, _sequence++);
        return w;
    }

    private Utf8JsonWriter BeginInItem(IBufferWriter<byte> client, ReadOnlySpan<byte> type, ResponsesStreamItem item)
    {
        var w = Begin(client, type);
        w.WriteString("item_id"u8, item.Id);
        w.WriteNumber("output_index"u8, item.OutputIndex);
        return w;
    }

    private static void End(Utf8JsonWriter w, IBufferWriter<byte> client)
    {
        w.WriteEndObject();
        w.Flush();
        client.Write("\n\n"u8);
    }
}
