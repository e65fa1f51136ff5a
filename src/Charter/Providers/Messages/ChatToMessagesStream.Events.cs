// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text.Json;
using Charter.Errors;
using Charter.Providers.Anthropic;
using Charter.Streaming;

namespace Charter.Providers.Messages;

// The events written: message_start and its end, content block starts and stops, the error event, and their framing.
public sealed partial class ChatToMessagesStream
{
    private void StartToolBlock(int k, ReadOnlySpan<byte> rawId, ReadOnlySpan<byte> rawName, IBufferWriter<byte> client)
    {
        CloseBlock(client);
        _openBlock = _blocks++;
        _openIsText = false;
        _openToolIndex = k;
        _blockByTool[k] = _openBlock + 1;
        if (rawId.Length > _openToolId.Length)
        {
            _openToolId = new byte[rawId.Length];
        }

        rawId.CopyTo(_openToolId);
        _openToolIdLength = rawId.Length;

        var w = Begin(client, "content_block_start"u8);
        w.WriteNumber("index"u8, _openBlock);
        w.WriteStartObject("content_block"u8);
        w.WriteString("type"u8, "tool_use"u8);
        if (rawId.IsEmpty)
        {
            w.WriteString("id"u8, ChatToMessagesAnswer.ToolUseId(_messageId, _tools));
        }
        else
        {
            AnthropicJson.WriteString(w, "id"u8, rawId);
        }

        if (AnthropicJson.IsString(rawName))
        {
            AnthropicJson.WriteString(w, "name"u8, rawName);
        }
        else
        {
            w.WriteString("name"u8, ""u8);
        }

        w.WriteStartObject("input"u8);
        w.WriteEndObject();
        w.WriteEndObject();
        End(w, client);
        _tools++;
    }

    private void CloseBlock(IBufferWriter<byte> client)
    {
        if (_openBlock < 0)
        {
            return;
        }

        var w = Begin(client, "content_block_stop"u8);
        w.WriteNumber("index"u8, _openBlock);
        End(w, client);
        _openBlock = -1;
        _openToolIndex = -1;
    }

    private void Start(IBufferWriter<byte> client)
    {
        _started = true;
        var w = Begin(client, "message_start"u8);
        w.WriteStartObject("message"u8);
        w.WriteString("id"u8, _id);
        w.WriteString("type"u8, "message"u8);
        w.WriteString("role"u8, "assistant"u8);
        w.WriteString("model"u8, _model);
        w.WriteStartArray("content"u8);
        w.WriteEndArray();
        w.WriteNull("stop_reason"u8);
        w.WriteNull("stop_sequence"u8);
        w.WriteStartObject("usage"u8);
        w.WriteNumber("input_tokens"u8, 0);
        w.WriteNumber("output_tokens"u8, 0);
        w.WriteEndObject();
        w.WriteEndObject();
        End(w, client);
    }

    // Closes the open block and ends the message: message_delta with the stop reason and the usage, then message_stop.
    private void Finish(IBufferWriter<byte> client)
    {
        if (_ended)
        {
            return;
        }

        if (!_started)
        {
            Start(client);
        }

        CloseBlock(client);
        var w = Begin(client, "message_delta"u8);
        w.WriteStartObject("delta"u8);
        w.WriteString("stop_reason"u8, MessagesStopReason.Text(_stop, _tools > 0));
        w.WriteNull("stop_sequence"u8);
        w.WriteEndObject();
        w.WriteStartObject("usage"u8);
        w.WriteNumber("input_tokens"u8, Math.Max(0, _usage.PromptTokens - _usage.CachedTokens));
        w.WriteNumber("output_tokens"u8, _usage.CompletionTokens);
        w.WriteNumber("cache_read_input_tokens"u8, _usage.CachedTokens);
        w.WriteEndObject();
        End(w, client);
        End(Begin(client, "message_stop"u8), client);
        _ended = true;
    }

    private void WriteError(ReadOnlySpan<byte> error, IBufferWriter<byte> client, ref StreamOutcome outcome)
    {
        JsonSlice message = default;
        if (AnthropicJson.IsObject(error))
        {
            var reader = AnthropicJson.ReaderOn(error);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isMessage = reader.ValueTextEquals("message"u8);
                reader.Read();
                var slice = AnthropicJson.ValueSlice(ref reader);
                if (isMessage && reader.TokenType == JsonTokenType.String)
                {
                    message = slice;
                }
            }
        }
        else if (AnthropicJson.IsString(error))
        {
            message = new JsonSlice(0, error.Length);
        }

        var w = Begin(client, "error"u8);
        w.WriteStartObject("error"u8);
        w.WriteString("type"u8, "api_error"u8);
        if (message.Present && !AnthropicJson.IsEmptyString(message.Of(error)))
        {
            AnthropicJson.WriteString(w, "message"u8, message.Of(error));
        }
        else
        {
            w.WriteString("message"u8, "The upstream provider reported an error mid-stream."u8);
        }

        w.WriteEndObject();
        End(w, client);
        outcome.Error = CharterError.UpstreamError;
        _ended = true;
    }

    // Writes "event: {type}\ndata: {"type":"{type}"" and returns the writer inside the event's object.
    private Utf8JsonWriter Begin(IBufferWriter<byte> client, ReadOnlySpan<byte> type)
    {
        client.Write("event: "u8);
        client.Write(type);
        client.Write("\ndata: "u8);
        var w = _writer ??= new Utf8JsonWriter(client, AnthropicJson.WriterOptions);
        w.Reset(client);
        w.WriteStartObject();
        w.WriteString("type"u8, type);
        return w;
    }

    private static void End(Utf8JsonWriter w, IBufferWriter<byte> client)
    {
        w.WriteEndObject();
        w.Flush();
        client.Write("\n\n"u8);
    }
}
