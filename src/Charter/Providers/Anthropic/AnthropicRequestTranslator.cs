// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text.Json;

namespace Charter.Providers.Anthropic;

/// <summary>OpenAI chat completions request body → Anthropic Messages request body (WIRE.md §5).</summary>
/// <remarks>
/// <para>
/// Mapping: <c>system</c> and <c>developer</c> messages are joined (in order, with a blank line between texts) into the
/// top-level <c>system</c>; <c>user</c>, <c>assistant</c> (text blocks and <c>tool_calls</c> → <c>tool_use</c> with the
/// arguments parsed) and runs of <c>tool</c> messages (→ one user message of <c>tool_result</c> blocks) become messages,
/// consecutive same-role messages merged because Anthropic requires alternation. <c>max_completion_tokens</c>, else
/// <c>max_tokens</c>, else the default → <c>max_tokens</c>; <c>stop</c> → <c>stop_sequences</c>; <c>temperature</c>
/// clamped to 1; <c>top_p</c>; <c>safety_identifier</c>, else <c>user</c> → <c>metadata.user_id</c>; <c>stream</c>;
/// <c>tools</c> (<c>parameters</c> → <c>input_schema</c>); <c>tool_choice</c> and <c>parallel_tool_calls</c>.
/// </para>
/// <para>
/// Refused (400, with the member as <c>param</c>): <c>n</c> &gt; 1, <c>logprobs</c> true, <c>top_logprobs</c> other than
/// 0, <c>response_format</c> json_object/json_schema, an unknown or <c>function</c> role, no message other than system
/// ones, content parts other than text and image_url (user) or text and refusal (assistant), tool calls whose arguments
/// are not a JSON object, tools other than function tools.
/// </para>
/// <para>
/// Ignored silently: <c>frequency_penalty</c>, <c>presence_penalty</c>, <c>seed</c>, <c>logit_bias</c>,
/// <c>service_tier</c>, <c>store</c>, <c>metadata</c> (OpenAI's), <c>modalities</c>, <c>prediction</c>,
/// <c>reasoning_effort</c>, <c>stream_options</c>, and any other member. <c>tool_choice</c> and
/// <c>parallel_tool_calls</c> are dropped when there are no tools (Anthropic rejects a tool choice without tools).
/// </para>
/// </remarks>
public static class AnthropicRequestTranslator
{
    /// <summary>Translates an OpenAI chat completions body into an Anthropic Messages body written to <paramref name="output"/>.</summary>
    /// <param name="openAiBody">The client's body (UTF-8 JSON).</param>
    /// <param name="upstreamModel">The Anthropic model name written as <c>model</c>.</param>
    /// <param name="defaultMaxTokens">The <c>max_tokens</c> when the client gives none (see <see cref="AnthropicWire.DefaultMaxTokens"/>).</param>
    /// <param name="output">Receives the Anthropic body; nothing is written when the translation fails.</param>
    /// <param name="error">Why the request cannot be translated (answer 400 <c>invalid_request_error</c>).</param>
    /// <returns>True when the body was written.</returns>
    public static bool TryTranslate(ReadOnlySpan<byte> openAiBody, string upstreamModel, int defaultMaxTokens, IBufferWriter<byte> output, out AnthropicTranslationError error)
    {
        ArgumentNullException.ThrowIfNull(upstreamModel);
        ArgumentNullException.ThrowIfNull(output);
        using var body = new PooledByteWriter(openAiBody.Length + 256);
        using var system = new PooledByteWriter(256);
        using var scratch = new PooledByteWriter(256);
        var messages = ArrayPool<OpenAiMessageRef>.Shared.Rent(16);
        try
        {
            if (!ReadFields(openAiBody, out var fields, out error)
                || !CheckUnsupported(openAiBody, fields, out error)
                || !ReadMaxTokens(openAiBody, fields, defaultMaxTokens, out var maxTokens, out error))
            {
                return false;
            }

            var list = fields.Messages.Of(openAiBody);
            if (!IndexMessages(list, ref messages, out var count, system, out error))
            {
                return false;
            }

            using (var writer = new Utf8JsonWriter(body, AnthropicJson.WriterOptions))
            {
                writer.WriteStartObject();
                writer.WriteString("model"u8, upstreamModel);
                writer.WriteNumber("max_tokens"u8, maxTokens);
                if (system.WrittenCount > 0)
                {
                    writer.WriteString("system"u8, system.WrittenSpan);
                }

                if (!WriteMessages(writer, list, messages.AsSpan(0, count), scratch, out error)
                    || !WriteOptions(writer, openAiBody, fields, out error)
                    || !WriteTools(writer, openAiBody, fields, out error))
                {
                    return false;
                }

                writer.WriteEndObject();
            }

            output.Write(body.WrittenSpan);
            error = default;
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            error = new("The request body is not a valid chat completions request.", null);
            return false;
        }
        finally
        {
            ArrayPool<OpenAiMessageRef>.Shared.Return(messages);
        }
    }

    private static AnthropicTranslationError Invalid(string message, string param) => new(message, param);

    private static bool ReadFields(ReadOnlySpan<byte> json, out OpenAiRequestFields fields, out AnthropicTranslationError error)
    {
        fields = default;
        error = default;
        if (!AnthropicJson.TryIndexObject(json, ref fields, Target))
        {
            error = new("The request body must be a JSON object.", null);
            return false;
        }

        if (!AnthropicJson.IsArray(fields.Messages.Of(json)))
        {
            error = Invalid("'messages' must be an array of messages.", "messages");
            return false;
        }

        return true;
    }

    private static ref JsonSlice Target(ref Utf8JsonReader reader, ref OpenAiRequestFields fields, out bool known)
    {
        known = true;
        if (reader.ValueTextEquals("messages"u8)) { return ref fields.Messages; }
        if (reader.ValueTextEquals("max_completion_tokens"u8)) { return ref fields.MaxCompletionTokens; }
        if (reader.ValueTextEquals("max_tokens"u8)) { return ref fields.MaxTokens; }
        if (reader.ValueTextEquals("stop"u8)) { return ref fields.Stop; }
        if (reader.ValueTextEquals("temperature"u8)) { return ref fields.Temperature; }
        if (reader.ValueTextEquals("top_p"u8)) { return ref fields.TopP; }
        if (reader.ValueTextEquals("user"u8)) { return ref fields.User; }
        if (reader.ValueTextEquals("safety_identifier"u8)) { return ref fields.SafetyIdentifier; }
        if (reader.ValueTextEquals("stream"u8)) { return ref fields.Stream; }
        if (reader.ValueTextEquals("tools"u8)) { return ref fields.Tools; }
        if (reader.ValueTextEquals("tool_choice"u8)) { return ref fields.ToolChoice; }
        if (reader.ValueTextEquals("parallel_tool_calls"u8)) { return ref fields.ParallelToolCalls; }
        if (reader.ValueTextEquals("n"u8)) { return ref fields.N; }
        if (reader.ValueTextEquals("logprobs"u8)) { return ref fields.Logprobs; }
        if (reader.ValueTextEquals("top_logprobs"u8)) { return ref fields.TopLogprobs; }
        if (reader.ValueTextEquals("response_format"u8)) { return ref fields.ResponseFormat; }
        known = false;
        return ref fields.N;
    }

    private static bool CheckUnsupported(ReadOnlySpan<byte> json, in OpenAiRequestFields fields, out AnthropicTranslationError error)
    {
        error = default;
        if (fields.N.Present)
        {
            if (!AnthropicJson.TryGetInt32(fields.N.Of(json), out var n) || n < 1)
            {
                error = Invalid("'n' must be a positive integer.", "n");
                return false;
            }

            if (n > 1)
            {
                error = Invalid("Anthropic models return a single choice; 'n' greater than 1 is not supported.", "n");
                return false;
            }
        }

        if (fields.Logprobs.Present)
        {
            if (!AnthropicJson.TryGetBoolean(fields.Logprobs.Of(json), out var logprobs))
            {
                error = Invalid("'logprobs' must be a boolean.", "logprobs");
                return false;
            }

            if (logprobs)
            {
                error = Invalid("Anthropic models do not return log probabilities; 'logprobs' is not supported.", "logprobs");
                return false;
            }
        }

        if (fields.TopLogprobs.Present && !(AnthropicJson.TryGetInt32(fields.TopLogprobs.Of(json), out var top) && top == 0))
        {
            error = Invalid("Anthropic models do not return log probabilities; 'top_logprobs' is not supported.", "top_logprobs");
            return false;
        }

        if (fields.ResponseFormat.Present)
        {
            var format = fields.ResponseFormat.Of(json);
            var type = AnthropicJson.IsObject(format) ? Member(format, "type"u8) : default;
            if (!AnthropicJson.StringEquals(type, "text"u8))
            {
                error = AnthropicJson.StringEquals(type, "json_schema"u8) || AnthropicJson.StringEquals(type, "json_object"u8)
                    ? Invalid("Anthropic models have no JSON output mode in the Messages API version " + AnthropicWire.Version + "; 'response_format' of type json_schema or json_object is not supported. Describe the format in the prompt, or use a tool.", "response_format")
                    : Invalid("'response_format' must be an object whose type is text.", "response_format");
                return false;
            }
        }

        return true;
    }

    private static bool ReadMaxTokens(ReadOnlySpan<byte> json, in OpenAiRequestFields fields, int defaultMaxTokens, out int maxTokens, out AnthropicTranslationError error)
    {
        error = default;
        maxTokens = defaultMaxTokens;
        var (slice, param) = fields.MaxCompletionTokens.Present
            ? (fields.MaxCompletionTokens, "max_completion_tokens")
            : (fields.MaxTokens, "max_tokens");
        if (!slice.Present)
        {
            return true;
        }

        if (!AnthropicJson.TryGetInt32(slice.Of(json), out maxTokens) || maxTokens < 1)
        {
            error = Invalid("'" + param + "' must be a positive integer.", param);
            return false;
        }

        return true;
    }

    // The raw value of a member of a JSON object (absent → empty).
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
                return reader.TokenType == JsonTokenType.Null ? default : slice.Of(obj);
            }
        }

        return default;
    }

    // One pass over messages: system and developer text into `system`, the others indexed for writing.
    private static bool IndexMessages(ReadOnlySpan<byte> list, ref OpenAiMessageRef[] messages, out int count, PooledByteWriter system, out AnthropicTranslationError error)
    {
        count = 0;
        error = default;
        var reader = AnthropicJson.ReaderOn(list);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                error = Invalid("Each message must be an object.", "messages");
                return false;
            }

            JsonSlice role = default, content = default, toolCalls = default, toolCallId = default;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                ref var target = ref role;
                var known = true;
                if (reader.ValueTextEquals("role"u8)) { target = ref role; }
                else if (reader.ValueTextEquals("content"u8)) { target = ref content; }
                else if (reader.ValueTextEquals("tool_calls"u8)) { target = ref toolCalls; }
                else if (reader.ValueTextEquals("tool_call_id"u8)) { target = ref toolCallId; }
                else { known = false; }

                reader.Read();
                var slice = AnthropicJson.ValueSlice(ref reader);
                if (known)
                {
                    target = reader.TokenType == JsonTokenType.Null ? default : slice;
                }
            }

            var roleValue = role.Of(list);
            OpenAiMessageKind kind;
            if (AnthropicJson.StringEquals(roleValue, "system"u8) || AnthropicJson.StringEquals(roleValue, "developer"u8))
            {
                if (!AppendText(content.Of(list), system, "\n\n"u8))
                {
                    error = Invalid("System and developer message content must be a string or text parts.", "messages");
                    return false;
                }

                continue;
            }
            else if (AnthropicJson.StringEquals(roleValue, "user"u8))
            {
                kind = OpenAiMessageKind.User;
            }
            else if (AnthropicJson.StringEquals(roleValue, "assistant"u8))
            {
                kind = OpenAiMessageKind.Assistant;
            }
            else if (AnthropicJson.StringEquals(roleValue, "tool"u8))
            {
                kind = OpenAiMessageKind.Tool;
                if (!AnthropicJson.IsString(toolCallId.Of(list)))
                {
                    error = Invalid("A tool message needs a 'tool_call_id' string.", "messages");
                    return false;
                }
            }
            else
            {
                error = Invalid(
                    AnthropicJson.IsString(roleValue)
                        ? "Message role " + Utf8(roleValue) + " is not supported for Anthropic models (use system, developer, user, assistant or tool)."
                        : "Each message needs a 'role' string.",
                    "messages");
                return false;
            }

            if (count == messages.Length)
            {
                var grown = ArrayPool<OpenAiMessageRef>.Shared.Rent(count * 2);
                messages.AsSpan(0, count).CopyTo(grown);
                ArrayPool<OpenAiMessageRef>.Shared.Return(messages);
                messages = grown;
            }

            messages[count++] = new OpenAiMessageRef(kind, content, toolCalls, toolCallId);
        }

        if (count == 0)
        {
            error = Invalid("'messages' must contain at least one user, assistant or tool message; Anthropic needs more than a system prompt.", "messages");
            return false;
        }

        return true;
    }

    private static string Utf8(ReadOnlySpan<byte> raw) => System.Text.Encoding.UTF8.GetString(raw);

    // Appends the text of string content or of text parts, each text after a separator when the sink is not empty.
    // Absent content appends nothing; anything else is refused.
    private static bool AppendText(ReadOnlySpan<byte> content, PooledByteWriter sink, ReadOnlySpan<byte> separator)
    {
        if (content.IsEmpty)
        {
            return true;
        }

        if (AnthropicJson.IsString(content))
        {
            AppendPiece(content, sink, separator);
            return true;
        }

        if (!AnthropicJson.IsArray(content))
        {
            return false;
        }

        var reader = AnthropicJson.ReaderOn(content);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var part = AnthropicJson.ValueSlice(ref reader).Of(content);
            if (!AnthropicJson.IsObject(part) || !AnthropicJson.StringEquals(Member(part, "type"u8), "text"u8))
            {
                return false;
            }

            var text = Member(part, "text"u8);
            if (!AnthropicJson.IsString(text))
            {
                return false;
            }

            AppendPiece(text, sink, separator);
        }

        return true;
    }

    private static void AppendPiece(ReadOnlySpan<byte> text, PooledByteWriter sink, ReadOnlySpan<byte> separator)
    {
        if (AnthropicJson.IsEmptyString(text))
        {
            return;
        }

        if (sink.WrittenCount > 0)
        {
            sink.Append(separator);
        }

        AnthropicJson.AppendUnescaped(text, sink);
    }

    private static bool WriteMessages(Utf8JsonWriter writer, ReadOnlySpan<byte> list, ReadOnlySpan<OpenAiMessageRef> messages, PooledByteWriter scratch, out AnthropicTranslationError error)
    {
        error = default;
        writer.WriteStartArray("messages"u8);
        var i = 0;
        while (i < messages.Length)
        {
            var user = messages[i].IsUserTurn;
            var end = i + 1;
            while (end < messages.Length && messages[end].IsUserTurn == user)
            {
                end++;
            }

            writer.WriteStartObject();
            writer.WriteString("role"u8, user ? "user"u8 : "assistant"u8);
            var first = messages[i];
            if (end == i + 1 && first.Kind == OpenAiMessageKind.User && AnthropicJson.IsString(first.Content.Of(list)))
            {
                // A lone user message with string content stays a string.
                AnthropicJson.WriteString(writer, "content"u8, first.Content.Of(list));
            }
            else
            {
                writer.WriteStartArray("content"u8);
                for (var k = i; k < end; k++)
                {
                    var ok = messages[k].Kind switch
                    {
                        OpenAiMessageKind.User => WriteUserBlocks(writer, messages[k].Content.Of(list), scratch, out error),
                        OpenAiMessageKind.Assistant => WriteAssistantBlocks(writer, list, messages[k], scratch, out error),
                        _ => WriteToolResult(writer, list, messages[k], scratch, out error),
                    };
                    if (!ok)
                    {
                        return false;
                    }
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
            i = end;
        }

        writer.WriteEndArray();
        return true;
    }

    private static void WriteTextBlock(Utf8JsonWriter writer, ReadOnlySpan<byte> text)
    {
        // Anthropic refuses empty text blocks.
        if (AnthropicJson.IsEmptyString(text))
        {
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("type"u8, "text"u8);
        AnthropicJson.WriteString(writer, "text"u8, text);
        writer.WriteEndObject();
    }

    private static bool WriteUserBlocks(Utf8JsonWriter writer, ReadOnlySpan<byte> content, PooledByteWriter scratch, out AnthropicTranslationError error)
    {
        error = default;
        if (content.IsEmpty)
        {
            return true;
        }

        if (AnthropicJson.IsString(content))
        {
            WriteTextBlock(writer, content);
            return true;
        }

        if (!AnthropicJson.IsArray(content))
        {
            error = Invalid("User message content must be a string or an array of content parts.", "messages");
            return false;
        }

        var reader = AnthropicJson.ReaderOn(content);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var part = AnthropicJson.ValueSlice(ref reader).Of(content);
            var type = AnthropicJson.IsObject(part) ? Member(part, "type"u8) : default;
            var text = AnthropicJson.StringEquals(type, "text"u8) ? Member(part, "text"u8) : default;
            if (AnthropicJson.IsString(text))
            {
                WriteTextBlock(writer, text);
            }
            else if (AnthropicJson.StringEquals(type, "image_url"u8))
            {
                if (!WriteImageBlock(writer, Member(part, "image_url"u8), scratch, out error))
                {
                    return false;
                }
            }
            else
            {
                error = Invalid(
                    AnthropicJson.IsString(type)
                        ? "Content part type " + Utf8(type) + " is not supported for Anthropic models (use text or image_url)."
                        : "Each content part must be an object with a 'type'.",
                    "messages");
                return false;
            }
        }

        return true;
    }

    private static bool WriteImageBlock(Utf8JsonWriter writer, ReadOnlySpan<byte> imageUrl, PooledByteWriter scratch, out AnthropicTranslationError error)
    {
        error = default;
        var url = AnthropicJson.IsObject(imageUrl) ? Member(imageUrl, "url"u8) : imageUrl;
        if (!AnthropicJson.IsString(url))
        {
            error = Invalid("An image_url part needs an 'image_url.url' string.", "messages");
            return false;
        }

        scratch.Clear();
        AnthropicJson.AppendUnescaped(url, scratch);
        var text = scratch.WrittenSpan;
        writer.WriteStartObject();
        writer.WriteString("type"u8, "image"u8);
        writer.WriteStartObject("source"u8);
        if (text.StartsWith("data:"u8))
        {
            // data:<media type>[;<parameter>]*;base64,<data>
            var comma = text.IndexOf((byte)',');
            var meta = comma < 0 ? default : text[5..comma];
            if (comma < 0 || !meta.EndsWith(";base64"u8))
            {
                error = Invalid("Image data URLs must be base64-encoded (data:<media type>;base64,<data>).", "messages");
                return false;
            }

            var semicolon = meta.IndexOf((byte)';');
            writer.WriteString("type"u8, "base64"u8);
            writer.WriteString("media_type"u8, meta[..semicolon]);
            writer.WriteString("data"u8, text[(comma + 1)..]);
        }
        else
        {
            writer.WriteString("type"u8, "url"u8);
            writer.WriteString("url"u8, text);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        return true;
    }

    private static bool WriteAssistantBlocks(Utf8JsonWriter writer, ReadOnlySpan<byte> list, OpenAiMessageRef message, PooledByteWriter scratch, out AnthropicTranslationError error)
    {
        error = default;
        var content = message.Content.Of(list);
        if (AnthropicJson.IsString(content))
        {
            WriteTextBlock(writer, content);
        }
        else if (AnthropicJson.IsArray(content))
        {
            var reader = AnthropicJson.ReaderOn(content);
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var part = AnthropicJson.ValueSlice(ref reader).Of(content);
                var type = AnthropicJson.IsObject(part) ? Member(part, "type"u8) : default;
                var text = AnthropicJson.StringEquals(type, "text"u8) ? Member(part, "text"u8)
                    : AnthropicJson.StringEquals(type, "refusal"u8) ? Member(part, "refusal"u8)
                    : default;
                if (!AnthropicJson.IsString(text))
                {
                    error = Invalid("Assistant message content parts must be text or refusal parts.", "messages");
                    return false;
                }

                WriteTextBlock(writer, text);
            }
        }
        else if (!content.IsEmpty)
        {
            error = Invalid("Assistant message content must be a string, an array of content parts, or null.", "messages");
            return false;
        }

        var toolCalls = message.ToolCalls.Of(list);
        if (toolCalls.IsEmpty)
        {
            return true;
        }

        if (!AnthropicJson.IsArray(toolCalls))
        {
            error = Invalid("'tool_calls' must be an array.", "messages");
            return false;
        }

        var calls = AnthropicJson.ReaderOn(toolCalls);
        while (calls.Read() && calls.TokenType != JsonTokenType.EndArray)
        {
            var call = AnthropicJson.ValueSlice(ref calls).Of(toolCalls);
            if (!WriteToolUse(writer, call, scratch, out error))
            {
                return false;
            }
        }

        return true;
    }

    private static bool WriteToolUse(Utf8JsonWriter writer, ReadOnlySpan<byte> call, PooledByteWriter scratch, out AnthropicTranslationError error)
    {
        error = default;
        var id = AnthropicJson.IsObject(call) ? Member(call, "id"u8) : default;
        var type = AnthropicJson.IsObject(call) ? Member(call, "type"u8) : default;
        var function = AnthropicJson.IsObject(call) ? Member(call, "function"u8) : default;
        var name = AnthropicJson.IsObject(function) ? Member(function, "name"u8) : default;
        if (!AnthropicJson.IsString(id) || !AnthropicJson.IsString(name) || !(type.IsEmpty || AnthropicJson.StringEquals(type, "function"u8)))
        {
            error = Invalid("Each tool call needs an 'id' and a function with a 'name'; only function tool calls are supported.", "messages");
            return false;
        }

        var arguments = Member(function, "arguments"u8);
        ReadOnlySpan<byte> input;
        if (AnthropicJson.IsObject(arguments))
        {
            input = arguments;
        }
        else if (AnthropicJson.IsString(arguments) || arguments.IsEmpty)
        {
            scratch.Clear();
            if (!arguments.IsEmpty)
            {
                AnthropicJson.AppendUnescaped(arguments, scratch);
            }

            input = scratch.WrittenSpan.Trim(" \t\r\n"u8);
            if (input.IsEmpty)
            {
                // No arguments at all: an empty input object.
                input = "{}"u8;
            }
            else if (!AnthropicJson.IsWholeObject(input))
            {
                error = Invalid("The arguments of tool call " + Utf8(id) + " are not a JSON object.", "messages");
                return false;
            }
        }
        else
        {
            error = Invalid("The arguments of tool call " + Utf8(id) + " must be a string holding a JSON object.", "messages");
            return false;
        }

        writer.WriteStartObject();
        writer.WriteString("type"u8, "tool_use"u8);
        AnthropicJson.WriteString(writer, "id"u8, id);
        AnthropicJson.WriteString(writer, "name"u8, name);
        writer.WritePropertyName("input"u8);
        writer.WriteRawValue(input, skipInputValidation: true);
        writer.WriteEndObject();
        return true;
    }

    private static bool WriteToolResult(Utf8JsonWriter writer, ReadOnlySpan<byte> list, OpenAiMessageRef message, PooledByteWriter scratch, out AnthropicTranslationError error)
    {
        error = default;
        scratch.Clear();
        if (!AppendText(message.Content.Of(list), scratch, "\n\n"u8))
        {
            error = Invalid("Tool message content must be a string or text parts.", "messages");
            return false;
        }

        writer.WriteStartObject();
        writer.WriteString("type"u8, "tool_result"u8);
        AnthropicJson.WriteString(writer, "tool_use_id"u8, message.ToolCallId.Of(list));
        if (scratch.WrittenCount > 0)
        {
            writer.WriteString("content"u8, scratch.WrittenSpan);
        }

        writer.WriteEndObject();
        return true;
    }

    private static bool WriteOptions(Utf8JsonWriter writer, ReadOnlySpan<byte> json, in OpenAiRequestFields fields, out AnthropicTranslationError error)
    {
        error = default;
        if (fields.Stop.Present && !WriteStop(writer, fields.Stop.Of(json), out error))
        {
            return false;
        }

        if (fields.Temperature.Present)
        {
            var raw = fields.Temperature.Of(json);
            if (!AnthropicJson.TryGetDouble(raw, out var temperature))
            {
                error = Invalid("'temperature' must be a number.", "temperature");
                return false;
            }

            writer.WritePropertyName("temperature"u8);
            if (temperature > 1)
            {
                // Anthropic's range is 0–1; OpenAI's is 0–2.
                writer.WriteNumberValue(1);
            }
            else
            {
                writer.WriteRawValue(raw, skipInputValidation: true);
            }
        }

        if (fields.TopP.Present)
        {
            var raw = fields.TopP.Of(json);
            if (!AnthropicJson.TryGetDouble(raw, out var topP))
            {
                error = Invalid("'top_p' must be a number.", "top_p");
                return false;
            }

            // 1 (OpenAI clients' default, the whole distribution) changes nothing, and recent Anthropic models refuse
            // temperature and top_p together: only a top_p that narrows is sent.
            if (topP < 1)
            {
                writer.WritePropertyName("top_p"u8);
                writer.WriteRawValue(raw, skipInputValidation: true);
            }
        }

        var (user, userParam) = fields.SafetyIdentifier.Present ? (fields.SafetyIdentifier, "safety_identifier") : (fields.User, "user");
        if (user.Present)
        {
            var raw = user.Of(json);
            if (!AnthropicJson.IsString(raw))
            {
                error = Invalid("'" + userParam + "' must be a string.", userParam);
                return false;
            }

            writer.WriteStartObject("metadata"u8);
            AnthropicJson.WriteString(writer, "user_id"u8, raw);
            writer.WriteEndObject();
        }

        if (fields.Stream.Present)
        {
            if (!AnthropicJson.TryGetBoolean(fields.Stream.Of(json), out var stream))
            {
                error = Invalid("'stream' must be a boolean.", "stream");
                return false;
            }

            writer.WriteBoolean("stream"u8, stream);
        }

        return true;
    }

    private static bool WriteStop(Utf8JsonWriter writer, ReadOnlySpan<byte> stop, out AnthropicTranslationError error)
    {
        error = default;
        if (AnthropicJson.IsString(stop))
        {
            if (!AnthropicJson.IsEmptyString(stop))
            {
                writer.WriteStartArray("stop_sequences"u8);
                AnthropicJson.WriteStringValue(writer, stop);
                writer.WriteEndArray();
            }

            return true;
        }

        if (!AnthropicJson.IsArray(stop))
        {
            error = Invalid("'stop' must be a string or an array of strings.", "stop");
            return false;
        }

        var reader = AnthropicJson.ReaderOn(stop);
        var started = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                error = Invalid("'stop' must be a string or an array of strings.", "stop");
                return false;
            }

            if (reader.ValueSpan.IsEmpty)
            {
                continue;
            }

            if (!started)
            {
                writer.WriteStartArray("stop_sequences"u8);
                started = true;
            }

            AnthropicJson.WriteStringValue(writer, ref reader);
        }

        if (started)
        {
            writer.WriteEndArray();
        }

        return true;
    }

    private static bool WriteTools(Utf8JsonWriter writer, ReadOnlySpan<byte> json, in OpenAiRequestFields fields, out AnthropicTranslationError error)
    {
        error = default;
        var count = 0;
        if (fields.Tools.Present)
        {
            var tools = fields.Tools.Of(json);
            if (!AnthropicJson.IsArray(tools))
            {
                error = Invalid("'tools' must be an array.", "tools");
                return false;
            }

            var reader = AnthropicJson.ReaderOn(tools);
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var tool = AnthropicJson.ValueSlice(ref reader).Of(tools);
                var function = AnthropicJson.IsObject(tool) && AnthropicJson.StringEquals(Member(tool, "type"u8), "function"u8)
                    ? Member(tool, "function"u8)
                    : default;
                var name = AnthropicJson.IsObject(function) ? Member(function, "name"u8) : default;
                if (!AnthropicJson.IsString(name))
                {
                    error = Invalid("Only function tools ({\"type\":\"function\",\"function\":{\"name\",…}}) are supported for Anthropic models.", "tools");
                    return false;
                }

                if (count++ == 0)
                {
                    writer.WriteStartArray("tools"u8);
                }

                writer.WriteStartObject();
                AnthropicJson.WriteString(writer, "name"u8, name);
                var description = Member(function, "description"u8);
                if (AnthropicJson.IsString(description))
                {
                    AnthropicJson.WriteString(writer, "description"u8, description);
                }

                var parameters = Member(function, "parameters"u8);
                writer.WritePropertyName("input_schema"u8);
                if (AnthropicJson.IsObject(parameters))
                {
                    writer.WriteRawValue(parameters, skipInputValidation: true);
                }
                else if (parameters.IsEmpty)
                {
                    writer.WriteRawValue("{\"type\":\"object\"}"u8, skipInputValidation: true);
                }
                else
                {
                    error = Invalid("A function's 'parameters' must be a JSON Schema object.", "tools");
                    return false;
                }

                writer.WriteEndObject();
            }

            if (count > 0)
            {
                writer.WriteEndArray();
            }
        }

        return WriteToolChoice(writer, json, fields, count, out error);
    }

    private static bool WriteToolChoice(Utf8JsonWriter writer, ReadOnlySpan<byte> json, in OpenAiRequestFields fields, int toolCount, out AnthropicTranslationError error)
    {
        error = default;
        var parallel = true;
        if (fields.ParallelToolCalls.Present && !AnthropicJson.TryGetBoolean(fields.ParallelToolCalls.Of(json), out parallel))
        {
            error = Invalid("'parallel_tool_calls' must be a boolean.", "parallel_tool_calls");
            return false;
        }

        ReadOnlySpan<byte> type = "auto"u8;
        ReadOnlySpan<byte> name = default;
        if (fields.ToolChoice.Present)
        {
            var choice = fields.ToolChoice.Of(json);
            if (AnthropicJson.StringEquals(choice, "auto"u8))
            {
                type = "auto"u8;
            }
            else if (AnthropicJson.StringEquals(choice, "required"u8))
            {
                type = "any"u8;
            }
            else if (AnthropicJson.StringEquals(choice, "none"u8))
            {
                type = "none"u8;
            }
            else if (AnthropicJson.IsObject(choice) && AnthropicJson.StringEquals(Member(choice, "type"u8), "function"u8))
            {
                var function = Member(choice, "function"u8);
                name = AnthropicJson.IsObject(function) ? Member(function, "name"u8) : default;
                if (!AnthropicJson.IsString(name))
                {
                    error = Invalid("A named 'tool_choice' needs 'function.name'.", "tool_choice");
                    return false;
                }

                type = "tool"u8;
            }
            else
            {
                error = Invalid("'tool_choice' must be none, auto, required, or {\"type\":\"function\",\"function\":{\"name\"}} for Anthropic models.", "tool_choice");
                return false;
            }
        }
        else if (parallel)
        {
            return true;
        }

        if (toolCount == 0)
        {
            return true;
        }

        writer.WriteStartObject("tool_choice"u8);
        writer.WriteString("type"u8, type);
        if (!name.IsEmpty)
        {
            AnthropicJson.WriteString(writer, "name"u8, name);
        }

        if (!parallel && !type.SequenceEqual("none"u8))
        {
            writer.WriteBoolean("disable_parallel_tool_use"u8, true);
        }

        writer.WriteEndObject();
        return true;
    }
}
