// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text.Json;

namespace Charter.Providers.Anthropic;

/// <summary>Anthropic Messages responses and errors → OpenAI chat completions responses and errors (WIRE.md §5).</summary>
public static class AnthropicResponseTranslator
{
    /// <summary>Translates an Anthropic message (a non-stream 200 body) into an OpenAI <c>chat.completion</c>.</summary>
    /// <remarks>
    /// Text blocks are concatenated into <c>message.content</c> (null when there is no text but there are tool calls);
    /// <c>tool_use</c> blocks become <c>tool_calls</c> with the input re-serialised compactly as <c>arguments</c>; thinking
    /// and other blocks are dropped. <c>stop_reason</c> is mapped to <c>finish_reason</c>; usage counts cache reads and
    /// writes as prompt tokens.
    /// </remarks>
    /// <param name="anthropicBody">The upstream body.</param>
    /// <param name="model">The model name the client asked for.</param>
    /// <param name="created">Unix seconds for <c>created</c>.</param>
    /// <param name="output">Receives the OpenAI body; nothing is written when the translation fails.</param>
    /// <returns>False when the body is not a Messages response (answer 502).</returns>
    public static bool TryTranslate(ReadOnlySpan<byte> anthropicBody, string model, long created, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(output);
        using var body = new PooledByteWriter(anthropicBody.Length + 512);
        try
        {
            if (!WriteCompletion(anthropicBody, model, created, body))
            {
                return false;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            return false;
        }

        output.Write(body.WrittenSpan);
        return true;
    }

    /// <summary>Translates an Anthropic error body (any non-2xx; may be empty or not JSON) into an OpenAI error body.</summary>
    /// <remarks>
    /// <c>error.type</c> is kept as OpenAI's <c>type</c> and <c>error.message</c> as its message; <c>code</c> is OpenAI's
    /// name for the type (rate_limit_error → rate_limit_exceeded, overloaded_error → overloaded, authentication_error →
    /// invalid_api_key, permission_error → permission_denied, not_found_error → model_not_found, otherwise the type).
    /// A body without an error object gets a type derived from the status and a message naming the status.
    /// </remarks>
    /// <param name="status">The upstream HTTP status.</param>
    /// <param name="anthropicBody">The upstream body.</param>
    /// <param name="output">Receives the OpenAI error body.</param>
    /// <returns>The status for the client: 529 becomes 503, others are kept.</returns>
    public static int TranslateError(int status, ReadOnlySpan<byte> anthropicBody, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!AnthropicErrorMapper.TryReadEnvelope(anthropicBody, out var type, out var message))
        {
            anthropicBody = default;
        }

        using (var writer = new Utf8JsonWriter(output, AnthropicJson.WriterOptions))
        {
            AnthropicErrorMapper.WriteOpenAiError(writer, anthropicBody, type, message, status);
        }

        return AnthropicErrorMapper.ClientStatus(status);
    }

    private static bool WriteCompletion(ReadOnlySpan<byte> json, string model, long created, PooledByteWriter body)
    {
        JsonSlice id = default, type = default, content = default, stopReason = default, usage = default;
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            ref var target = ref id;
            var known = true;
            if (reader.ValueTextEquals("id"u8)) { target = ref id; }
            else if (reader.ValueTextEquals("type"u8)) { target = ref type; }
            else if (reader.ValueTextEquals("content"u8)) { target = ref content; }
            else if (reader.ValueTextEquals("stop_reason"u8)) { target = ref stopReason; }
            else if (reader.ValueTextEquals("usage"u8)) { target = ref usage; }
            else { known = false; }

            reader.Read();
            var slice = AnthropicJson.ValueSlice(ref reader);
            if (known)
            {
                target = slice;
            }
        }

        var blocks = content.Of(json);
        if (!AnthropicJson.StringEquals(type.Of(json), "message"u8) || !AnthropicJson.IsString(id.Of(json)) || !AnthropicJson.IsArray(blocks))
        {
            return false;
        }

        // First pass: how many text and tool_use blocks (decides content null vs text, and whether tool_calls is written).
        var texts = 0;
        var tools = 0;
        var scan = AnthropicJson.ReaderOn(blocks);
        while (scan.Read() && scan.TokenType != JsonTokenType.EndArray)
        {
            var block = AnthropicJson.ValueSlice(ref scan).Of(blocks);
            if (!AnthropicJson.IsObject(block))
            {
                return false;
            }

            var blockType = BlockType(block);
            if (blockType == AnthropicBlockKind.Text)
            {
                texts++;
            }
            else if (blockType == AnthropicBlockKind.ToolUse)
            {
                tools++;
            }
        }

        using var writer = new Utf8JsonWriter(body, AnthropicJson.WriterOptions);
        writer.WriteStartObject();
        WriteChatId(writer, id.Of(json));
        writer.WriteString("object"u8, "chat.completion"u8);
        writer.WriteNumber("created"u8, created);
        writer.WriteString("model"u8, model);
        writer.WriteStartArray("choices"u8);
        writer.WriteStartObject();
        writer.WriteNumber("index"u8, 0);
        writer.WriteStartObject("message"u8);
        writer.WriteString("role"u8, "assistant"u8);
        writer.WritePropertyName("content"u8);
        if (texts == 0)
        {
            if (tools > 0)
            {
                writer.WriteNullValue();
            }
            else
            {
                writer.WriteStringValue(""u8);
            }
        }
        else
        {
            WriteJoinedText(writer, blocks, texts);
        }

        writer.WriteNull("refusal"u8);
        if (tools > 0)
        {
            WriteToolCalls(writer, blocks);
        }

        writer.WriteEndObject();
        writer.WriteNull("logprobs"u8);
        writer.WriteString("finish_reason"u8, AnthropicStopReason.ToFinishReason(stopReason.Of(json)));
        writer.WriteEndObject();
        writer.WriteEndArray();
        if (AnthropicJson.IsObject(usage.Of(json)))
        {
            var counts = default(AnthropicUsageCounts);
            counts.Read(usage.Of(json));
            writer.WritePropertyName("usage"u8);
            AnthropicUsageCounts.WriteOpenAiUsage(writer, counts.ToUsage());
        }

        writer.WriteEndObject();
        return true;
    }

    /// <summary>Writes <c>"id":"chatcmpl-&lt;Anthropic id&gt;"</c>.</summary>
    internal static void WriteChatId(Utf8JsonWriter writer, ReadOnlySpan<byte> anthropicId)
    {
        using var id = new PooledByteWriter(64);
        id.Append("chatcmpl-"u8);
        AnthropicJson.AppendUnescaped(anthropicId, id);
        writer.WriteString("id"u8, id.WrittenSpan);
    }

    private static AnthropicBlockKind BlockType(ReadOnlySpan<byte> block)
    {
        var reader = AnthropicJson.ReaderOn(block);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("type"u8);
            reader.Read();
            if (isType)
            {
                return reader.TokenType != JsonTokenType.String ? AnthropicBlockKind.Other
                    : reader.ValueTextEquals("text"u8) ? AnthropicBlockKind.Text
                    : reader.ValueTextEquals("tool_use"u8) ? AnthropicBlockKind.ToolUse
                    : AnthropicBlockKind.Other;
            }

            reader.Skip();
        }

        return AnthropicBlockKind.Other;
    }

    // The raw value of a member of a block.
    private static ReadOnlySpan<byte> Member(ReadOnlySpan<byte> obj, ReadOnlySpan<byte> name)
    {
        var reader = AnthropicJson.ReaderOn(obj);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(name);
            reader.Read();
            var slice = AnthropicJson.ValueSlice(ref reader);
            if (match)
            {
                return slice.Of(obj);
            }
        }

        return default;
    }

    private static void WriteJoinedText(Utf8JsonWriter writer, ReadOnlySpan<byte> blocks, int texts)
    {
        using var text = new PooledByteWriter(256);
        var seen = 0;
        var reader = AnthropicJson.ReaderOn(blocks);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var block = AnthropicJson.ValueSlice(ref reader).Of(blocks);
            if (BlockType(block) != AnthropicBlockKind.Text)
            {
                continue;
            }

            seen++;
            var value = Member(block, "text"u8);
            text.Clear();
            if (AnthropicJson.IsString(value))
            {
                AnthropicJson.AppendUnescaped(value, text);
            }

            writer.WriteStringValueSegment(text.WrittenSpan, isFinalSegment: seen == texts);
        }
    }

    private static void WriteToolCalls(Utf8JsonWriter writer, ReadOnlySpan<byte> blocks)
    {
        using var arguments = new PooledByteWriter(256);
        using var argumentsWriter = new Utf8JsonWriter(arguments, AnthropicJson.WriterOptions);
        writer.WriteStartArray("tool_calls"u8);
        var reader = AnthropicJson.ReaderOn(blocks);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var block = AnthropicJson.ValueSlice(ref reader).Of(blocks);
            if (BlockType(block) != AnthropicBlockKind.ToolUse)
            {
                continue;
            }

            var id = Member(block, "id"u8);
            var name = Member(block, "name"u8);
            var input = Member(block, "input"u8);
            if (!AnthropicJson.IsString(id) || !AnthropicJson.IsString(name))
            {
                throw new InvalidOperationException("A tool_use block needs an id and a name.");
            }

            arguments.Clear();
            argumentsWriter.Reset(arguments);
            if (input.IsEmpty)
            {
                argumentsWriter.WriteStartObject();
                argumentsWriter.WriteEndObject();
            }
            else
            {
                var inputReader = AnthropicJson.ReaderOn(input);
                AnthropicJson.CopyValue(ref inputReader, argumentsWriter);
            }

            argumentsWriter.Flush();
            writer.WriteStartObject();
            AnthropicJson.WriteString(writer, "id"u8, id);
            writer.WriteString("type"u8, "function"u8);
            writer.WriteStartObject("function"u8);
            AnthropicJson.WriteString(writer, "name"u8, name);
            writer.WriteString("arguments"u8, arguments.WrittenSpan);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
