// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text.Json;
using Charter.Providers.Anthropic;

namespace Charter.Providers.Responses;

/// <summary>OpenAI Responses request body (<c>CreateResponse</c>) → OpenAI chat completions request body
/// (<c>CreateChatCompletionRequest</c>), for accounts whose upstream only speaks chat completions (or is reached through them).</summary>
/// <remarks>
/// <para>
/// Mapping: <c>model</c> is copied; <c>instructions</c> becomes the first, <c>system</c>, message; an <c>input</c> string becomes
/// one user message. <c>input</c> items: <c>message</c> items (with or without <c>type</c>; roles user, system, developer,
/// assistant) become messages, their <c>input_text</c>/<c>output_text</c> parts <c>text</c> parts (joined into one string for
/// assistant messages) and <c>input_image</c> parts <c>image_url</c> parts (with <c>detail</c>); a run of consecutive
/// <c>function_call</c> items becomes one assistant message with <c>tool_calls</c> (joined to a directly preceding assistant
/// message); <c>function_call_output</c> becomes a <c>tool</c> message. <c>max_output_tokens</c> → <c>max_completion_tokens</c>;
/// <c>temperature</c>, <c>top_p</c>, <c>metadata</c> copied; <c>stream</c> copied, with <c>stream_options.include_usage</c> when
/// true; <c>safety_identifier</c>, else <c>user</c> → <c>user</c>; function <c>tools</c> → chat function tools;
/// <c>tool_choice</c> and <c>parallel_tool_calls</c> copied (only when there are tools, as chat completions rejects them
/// otherwise); <c>text.format</c> json_object/json_schema → <c>response_format</c>; <c>include</c> of
/// <c>message.output_text.logprobs</c> or <c>top_logprobs</c> &gt; 0 → <c>logprobs</c> (and <c>top_logprobs</c>).
/// </para>
/// <para>
/// Refused (400, with the member as <c>param</c>): <c>previous_response_id</c> and <c>conversation</c> (no server-side state on
/// such an account), <c>background:true</c>, <c>prompt</c>, a non-null <c>reasoning</c>, input items other than message,
/// function_call and function_call_output (<c>input[i]</c>), content parts other than text and images, images given by
/// <c>file_id</c>, tools other than function tools (<c>tools[i]</c>), tool choices other than none/auto/required/a function,
/// and text formats other than text/json_object/json_schema.
/// </para>
/// <para>
/// Ignored: <c>store</c> (accepted, but nothing is stored: a later <c>previous_response_id</c> naming this response is refused),
/// <c>truncation</c>, <c>max_tool_calls</c>, <c>prompt_cache_key</c>, <c>service_tier</c>, <c>text.verbosity</c>, other
/// <c>include</c> values and any other member.
/// </para>
/// </remarks>
public static class ResponsesToChatRequest
{
    /// <summary>Translates a Responses request body into a chat completions body written to <paramref name="chatBody"/>.</summary>
    /// <param name="responsesBody">The client's body (UTF-8 JSON).</param>
    /// <param name="chatBody">Receives the chat completions body; nothing is written when the translation fails.</param>
    /// <param name="refusal">Why the request cannot be translated (answer 400 <c>invalid_request_error</c>).</param>
    /// <returns>True when the body was written.</returns>
    public static bool TryTranslate(ReadOnlySpan<byte> responsesBody, IBufferWriter<byte> chatBody, out ResponsesTranslationError refusal)
    {
        ArgumentNullException.ThrowIfNull(chatBody);
        using var body = new PooledByteWriter(responsesBody.Length + 256);
        using var scratch = new PooledByteWriter(256);
        try
        {
            if (!ResponsesRequestReader.TryRead(responsesBody, out var f))
            {
                refusal = new("The request body must be a JSON object.", null);
                return false;
            }

            if (!CheckUnsupported(responsesBody, f, out refusal))
            {
                return false;
            }

            using (var w = new Utf8JsonWriter(body, AnthropicJson.WriterOptions))
            {
                w.WriteStartObject();
                AnthropicJson.WriteString(w, "model"u8, f.Model.Of(responsesBody));
                w.WriteStartArray("messages"u8);
                if (!WriteMessages(w, responsesBody, f, scratch, out refusal))
                {
                    return false;
                }

                w.WriteEndArray();
                if (!WriteOptions(w, responsesBody, f, out refusal)
                    || !WriteTools(w, responsesBody, f, out refusal)
                    || !WriteTextFormat(w, f.Text.Of(responsesBody), out refusal))
                {
                    return false;
                }

                w.WriteEndObject();
            }

            chatBody.Write(body.WrittenSpan);
            refusal = default;
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            refusal = new("The request body is not a valid Responses request.", null);
            return false;
        }
    }

    private static bool CheckUnsupported(ReadOnlySpan<byte> json, in ResponsesRequestFields f, out ResponsesTranslationError refusal)
    {
        refusal = default;
        if (f.PreviousResponseId.Present)
        {
            refusal = new("'previous_response_id' is not supported on this account: responses are not stored here. Send the whole conversation in 'input'.", "previous_response_id");
        }
        else if (f.Conversation.Present)
        {
            refusal = new("'conversation' is not supported on this account: conversations are not stored here. Send the whole conversation in 'input'.", "conversation");
        }
        else if (f.Background.Present && !f.Background.Of(json).SequenceEqual("false"u8))
        {
            refusal = new("Background responses ('background': true) are not supported on this account.", "background");
        }
        else if (f.Prompt.Present)
        {
            refusal = new("Stored prompts ('prompt') are not supported on this account.", "prompt");
        }
        else if (f.Reasoning.Present)
        {
            refusal = new("'reasoning' is not supported on this account.", "reasoning");
        }
        else if (!AnthropicJson.IsString(f.Model.Of(json)))
        {
            refusal = new("'model' is required and must be a string.", "model");
        }
        else if (!f.Input.Present)
        {
            refusal = new("'input' is required on this account.", "input");
        }

        return refusal.Message is null;
    }

    private static bool WriteMessages(Utf8JsonWriter w, ReadOnlySpan<byte> json, in ResponsesRequestFields f, PooledByteWriter scratch, out ResponsesTranslationError refusal)
    {
        refusal = default;
        var instructions = f.Instructions.Of(json);
        if (f.Instructions.Present)
        {
            if (!AnthropicJson.IsString(instructions))
            {
                refusal = new("'instructions' must be a string.", "instructions");
                return false;
            }

            w.WriteStartObject();
            w.WriteString("role"u8, "system"u8);
            AnthropicJson.WriteString(w, "content"u8, instructions);
            w.WriteEndObject();
        }

        var input = f.Input.Of(json);
        if (AnthropicJson.IsString(input))
        {
            w.WriteStartObject();
            w.WriteString("role"u8, "user"u8);
            AnthropicJson.WriteString(w, "content"u8, input);
            w.WriteEndObject();
            return true;
        }

        if (!AnthropicJson.IsArray(input))
        {
            refusal = new("'input' must be a string or an array of input items.", "input");
            return false;
        }

        var reader = AnthropicJson.ReaderOn(input);
        var index = 0;
        var assistant = AssistantState.Closed;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var item = AnthropicJson.ValueSlice(ref reader).Of(input);
            if (!WriteItem(w, item, index, ref assistant, scratch, out refusal))
            {
                return false;
            }

            index++;
        }

        CloseAssistant(w, ref assistant);
        if (index == 0)
        {
            refusal = new("'input' must hold at least one item.", "input");
            return false;
        }

        return true;
    }

    private enum AssistantState
    {
        Closed,
        Open,
        InToolCalls,
    }

    private static void CloseAssistant(Utf8JsonWriter w, ref AssistantState state)
    {
        if (state == AssistantState.InToolCalls)
        {
            w.WriteEndArray();
        }

        if (state != AssistantState.Closed)
        {
            w.WriteEndObject();
        }

        state = AssistantState.Closed;
    }

    private static bool WriteItem(Utf8JsonWriter w, ReadOnlySpan<byte> item, int index, ref AssistantState assistant, PooledByteWriter scratch, out ResponsesTranslationError refusal)
    {
        refusal = default;
        if (!ResponsesInputItem.TryRead(item, out var it))
        {
            refusal = new("Each input item must be an object.", $"input[{index}]");
            return false;
        }

        var type = it.Type.Of(item);
        if (!it.Type.Present || AnthropicJson.StringEquals(type, "message"u8))
        {
            return WriteMessageItem(w, item, it, index, ref assistant, scratch, out refusal);
        }

        if (AnthropicJson.StringEquals(type, "function_call"u8))
        {
            var callId = it.CallId.Of(item);
            var name = it.Name.Of(item);
            var arguments = it.Arguments.Of(item);
            if (!AnthropicJson.IsString(callId) || !AnthropicJson.IsString(name) || !AnthropicJson.IsString(arguments))
            {
                refusal = new("A function_call item needs 'call_id', 'name' and 'arguments' strings.", $"input[{index}]");
                return false;
            }

            if (assistant == AssistantState.Closed)
            {
                w.WriteStartObject();
                w.WriteString("role"u8, "assistant"u8);
                w.WriteNull("content"u8);
                assistant = AssistantState.Open;
            }

            if (assistant == AssistantState.Open)
            {
                w.WriteStartArray("tool_calls"u8);
                assistant = AssistantState.InToolCalls;
            }

            w.WriteStartObject();
            AnthropicJson.WriteString(w, "id"u8, callId);
            w.WriteString("type"u8, "function"u8);
            w.WriteStartObject("function"u8);
            AnthropicJson.WriteString(w, "name"u8, name);
            AnthropicJson.WriteString(w, "arguments"u8, arguments);
            w.WriteEndObject();
            w.WriteEndObject();
            return true;
        }

        if (AnthropicJson.StringEquals(type, "function_call_output"u8))
        {
            CloseAssistant(w, ref assistant);
            var callId = it.CallId.Of(item);
            if (!AnthropicJson.IsString(callId))
            {
                refusal = new("A function_call_output item needs a 'call_id' string.", $"input[{index}]");
                return false;
            }

            w.WriteStartObject();
            w.WriteString("role"u8, "tool"u8);
            AnthropicJson.WriteString(w, "tool_call_id"u8, callId);
            var output = it.Output.Of(item);
            if (AnthropicJson.IsString(output))
            {
                AnthropicJson.WriteString(w, "content"u8, output);
            }
            else if (AnthropicJson.IsArray(output))
            {
                if (!WriteParts(w, output, index, "output", allowImages: false, out refusal))
                {
                    return false;
                }
            }
            else
            {
                refusal = new("A function_call_output item needs an 'output' string or array of text parts.", $"input[{index}].output");
                return false;
            }

            w.WriteEndObject();
            return true;
        }

        refusal = new($"Input items of type '{AnthropicJson.TextOf(type)}' are not supported on this account.", $"input[{index}]");
        return false;
    }

    private static bool WriteMessageItem(Utf8JsonWriter w, ReadOnlySpan<byte> item, in ResponsesInputItem it, int index, ref AssistantState assistant, PooledByteWriter scratch, out ResponsesTranslationError refusal)
    {
        refusal = default;
        var role = it.Role.Of(item);
        var content = it.Content.Of(item);
        var isAssistant = AnthropicJson.StringEquals(role, "assistant"u8);
        var isUser = AnthropicJson.StringEquals(role, "user"u8);
        if (!isAssistant && !isUser && !AnthropicJson.StringEquals(role, "system"u8) && !AnthropicJson.StringEquals(role, "developer"u8))
        {
            refusal = new("A message item's 'role' must be user, system, developer or assistant.", $"input[{index}].role");
            return false;
        }

        if (!AnthropicJson.IsString(content) && !AnthropicJson.IsArray(content))
        {
            refusal = new("A message item needs 'content': a string or an array of content parts.", $"input[{index}].content");
            return false;
        }

        CloseAssistant(w, ref assistant);
        w.WriteStartObject();
        w.WritePropertyName("role"u8);
        AnthropicJson.WriteStringValue(w, role);
        if (AnthropicJson.IsString(content))
        {
            AnthropicJson.WriteString(w, "content"u8, content);
        }
        else if (isAssistant)
        {
            // Chat assistant messages take text only: the parts' texts are joined into one string.
            scratch.Clear();
            var reader = AnthropicJson.ReaderOn(content);
            var part = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var slice = AnthropicJson.ValueSlice(ref reader).Of(content);
                if (!ResponsesInputItem.TryRead(slice, out var p)
                    || !(AnthropicJson.StringEquals(p.Type.Of(slice), "output_text"u8) || AnthropicJson.StringEquals(p.Type.Of(slice), "input_text"u8))
                    || !AnthropicJson.IsString(p.Text.Of(slice)))
                {
                    refusal = new("Assistant message content parts must be output_text parts with a 'text' string.", $"input[{index}].content[{part}]");
                    return false;
                }

                AnthropicJson.AppendUnescaped(p.Text.Of(slice), scratch);
                part++;
            }

            w.WriteString("content"u8, scratch.WrittenSpan);
        }
        else if (!WriteParts(w, content, index, "content", allowImages: isUser, out refusal))
        {
            return false;
        }

        if (isAssistant)
        {
            // Left open: function_call items that follow join this message as its tool_calls.
            assistant = AssistantState.Open;
        }
        else
        {
            w.WriteEndObject();
        }

        return true;
    }

    private static bool WriteParts(Utf8JsonWriter w, ReadOnlySpan<byte> parts, int index, string member, bool allowImages, out ResponsesTranslationError refusal)
    {
        refusal = default;
        w.WriteStartArray("content"u8);
        var reader = AnthropicJson.ReaderOn(parts);
        var j = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var part = AnthropicJson.ValueSlice(ref reader).Of(parts);
            if (!ResponsesInputItem.TryRead(part, out var p))
            {
                refusal = new("Each content part must be an object.", $"input[{index}].{member}[{j}]");
                return false;
            }

            var type = p.Type.Of(part);
            if (AnthropicJson.StringEquals(type, "input_text"u8) || AnthropicJson.StringEquals(type, "output_text"u8))
            {
                if (!AnthropicJson.IsString(p.Text.Of(part)))
                {
                    refusal = new("A text part needs a 'text' string.", $"input[{index}].{member}[{j}].text");
                    return false;
                }

                w.WriteStartObject();
                w.WriteString("type"u8, "text"u8);
                AnthropicJson.WriteString(w, "text"u8, p.Text.Of(part));
                w.WriteEndObject();
            }
            else if (allowImages && AnthropicJson.StringEquals(type, "input_image"u8))
            {
                if (p.FileId.Present)
                {
                    refusal = new("Images given by 'file_id' are not supported on this account: send the image as a URL or data URL in 'image_url'.", $"input[{index}].{member}[{j}].file_id");
                    return false;
                }

                if (!AnthropicJson.IsString(p.ImageUrl.Of(part)))
                {
                    refusal = new("An input_image part needs an 'image_url' string.", $"input[{index}].{member}[{j}].image_url");
                    return false;
                }

                w.WriteStartObject();
                w.WriteString("type"u8, "image_url"u8);
                w.WriteStartObject("image_url"u8);
                AnthropicJson.WriteString(w, "url"u8, p.ImageUrl.Of(part));
                if (AnthropicJson.IsString(p.Detail.Of(part)))
                {
                    AnthropicJson.WriteString(w, "detail"u8, p.Detail.Of(part));
                }

                w.WriteEndObject();
                w.WriteEndObject();
            }
            else
            {
                refusal = new($"Content parts of type '{AnthropicJson.TextOf(type)}' are not supported here on this account.", $"input[{index}].{member}[{j}]");
                return false;
            }

            j++;
        }

        w.WriteEndArray();
        return true;
    }

    private static bool WriteOptions(Utf8JsonWriter w, ReadOnlySpan<byte> json, in ResponsesRequestFields f, out ResponsesTranslationError refusal)
    {
        if (!CopyNumber(w, "max_completion_tokens"u8, f.MaxOutputTokens.Of(json), "max_output_tokens", out refusal)
            || !CopyNumber(w, "temperature"u8, f.Temperature.Of(json), "temperature", out refusal)
            || !CopyNumber(w, "top_p"u8, f.TopP.Of(json), "top_p", out refusal))
        {
            return false;
        }

        if (!ChatBodyWriter.TryWriteStream(w, f.Stream.Of(json)))
        {
            refusal = new("'stream' must be a boolean.", "stream");
            return false;
        }

        var user = f.SafetyIdentifier.Present ? f.SafetyIdentifier.Of(json) : f.User.Of(json);
        if (AnthropicJson.IsString(user))
        {
            AnthropicJson.WriteString(w, "user"u8, user);
        }

        var metadata = f.Metadata.Of(json);
        if (f.Metadata.Present)
        {
            if (!AnthropicJson.IsObject(metadata))
            {
                refusal = new("'metadata' must be an object.", "metadata");
                return false;
            }

            w.WritePropertyName("metadata"u8);
            var reader = AnthropicJson.ReaderOn(metadata);
            AnthropicJson.CopyValue(ref reader, w);
        }

        var logprobs = false;
        var include = f.Include.Of(json);
        if (AnthropicJson.IsArray(include))
        {
            var reader = AnthropicJson.ReaderOn(include);
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                logprobs |= reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("message.output_text.logprobs"u8);
            }
        }

        var topLogprobs = 0;
        if (f.TopLogprobs.Present && !AnthropicJson.TryGetInt32(f.TopLogprobs.Of(json), out topLogprobs))
        {
            refusal = new("'top_logprobs' must be an integer.", "top_logprobs");
            return false;
        }

        if (logprobs || topLogprobs > 0)
        {
            w.WriteBoolean("logprobs"u8, true);
            if (topLogprobs > 0)
            {
                w.WriteNumber("top_logprobs"u8, topLogprobs);
            }
        }

        refusal = default;
        return true;
    }

    private static bool CopyNumber(Utf8JsonWriter w, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, string param, out ResponsesTranslationError refusal)
    {
        var copied = ChatBodyWriter.TryCopyNumber(w, name, value);
        refusal = copied ? default : new($"'{param}' must be a number.", param);
        return copied;
    }

    private static bool WriteTools(Utf8JsonWriter w, ReadOnlySpan<byte> json, in ResponsesRequestFields f, out ResponsesTranslationError refusal)
    {
        refusal = default;
        var tools = f.Tools.Of(json);
        if (!f.Tools.Present)
        {
            return true;
        }

        if (!AnthropicJson.IsArray(tools))
        {
            refusal = new("'tools' must be an array.", "tools");
            return false;
        }

        var reader = AnthropicJson.ReaderOn(tools);
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var tool = AnthropicJson.ValueSlice(ref reader).Of(tools);
            if (!ResponsesInputItem.TryRead(tool, out var t) || !AnthropicJson.StringEquals(t.Type.Of(tool), "function"u8))
            {
                refusal = new($"Tools of type '{AnthropicJson.TextOf(t.Type.Of(tool))}' are not supported on this account; only function tools are.", $"tools[{count}]");
                return false;
            }

            if (!AnthropicJson.IsString(t.Name.Of(tool)))
            {
                refusal = new("A function tool needs a 'name' string.", $"tools[{count}].name");
                return false;
            }

            if (count == 0)
            {
                w.WriteStartArray("tools"u8);
            }

            w.WriteStartObject();
            w.WriteString("type"u8, "function"u8);
            w.WriteStartObject("function"u8);
            AnthropicJson.WriteString(w, "name"u8, t.Name.Of(tool));
            if (AnthropicJson.IsString(t.Description.Of(tool)))
            {
                AnthropicJson.WriteString(w, "description"u8, t.Description.Of(tool));
            }

            if (AnthropicJson.IsObject(t.Parameters.Of(tool)))
            {
                w.WritePropertyName("parameters"u8);
                var parameters = AnthropicJson.ReaderOn(t.Parameters.Of(tool));
                AnthropicJson.CopyValue(ref parameters, w);
            }

            if (AnthropicJson.TryGetBoolean(t.Strict.Of(tool), out var strict))
            {
                w.WriteBoolean("strict"u8, strict);
            }

            w.WriteEndObject();
            w.WriteEndObject();
            count++;
        }

        if (count == 0)
        {
            return true;
        }

        w.WriteEndArray();
        return WriteToolChoice(w, f.ToolChoice.Of(json), out refusal)
            && CopyParallelToolCalls(w, f.ParallelToolCalls.Of(json), out refusal);
    }

    private static bool WriteToolChoice(Utf8JsonWriter w, ReadOnlySpan<byte> choice, out ResponsesTranslationError refusal)
    {
        refusal = default;
        if (choice.IsEmpty)
        {
            return true;
        }

        if (AnthropicJson.StringEquals(choice, "none"u8) || AnthropicJson.StringEquals(choice, "auto"u8) || AnthropicJson.StringEquals(choice, "required"u8))
        {
            AnthropicJson.WriteString(w, "tool_choice"u8, choice);
            return true;
        }

        if (ResponsesInputItem.TryRead(choice, out var c) && AnthropicJson.StringEquals(c.Type.Of(choice), "function"u8) && AnthropicJson.IsString(c.Name.Of(choice)))
        {
            ChatBodyWriter.WriteFunctionChoice(w, c.Name.Of(choice));
            return true;
        }

        refusal = new("'tool_choice' must be none, auto, required or {\"type\":\"function\",\"name\":…} on this account.", "tool_choice");
        return false;
    }

    private static bool CopyParallelToolCalls(Utf8JsonWriter w, ReadOnlySpan<byte> value, out ResponsesTranslationError refusal)
    {
        refusal = default;
        if (value.IsEmpty)
        {
            return true;
        }

        if (!AnthropicJson.TryGetBoolean(value, out var parallel))
        {
            refusal = new("'parallel_tool_calls' must be a boolean.", "parallel_tool_calls");
            return false;
        }

        w.WriteBoolean("parallel_tool_calls"u8, parallel);
        return true;
    }

    private static bool WriteTextFormat(Utf8JsonWriter w, ReadOnlySpan<byte> text, out ResponsesTranslationError refusal)
    {
        refusal = default;
        if (text.IsEmpty)
        {
            return true;
        }

        if (!ResponsesInputItem.TryRead(text, out var t))
        {
            refusal = new("'text' must be an object.", "text");
            return false;
        }

        var format = t.Format.Of(text);
        if (format.IsEmpty)
        {
            return true;
        }

        if (!ResponsesInputItem.TryRead(format, out var fmt))
        {
            refusal = new("'text.format' must be an object.", "text.format");
            return false;
        }

        var type = fmt.Type.Of(format);
        if (AnthropicJson.StringEquals(type, "text"u8))
        {
            return true;
        }

        if (AnthropicJson.StringEquals(type, "json_object"u8))
        {
            w.WriteStartObject("response_format"u8);
            w.WriteString("type"u8, "json_object"u8);
            w.WriteEndObject();
            return true;
        }

        if (!AnthropicJson.StringEquals(type, "json_schema"u8))
        {
            refusal = new("'text.format.type' must be text, json_object or json_schema.", "text.format");
            return false;
        }

        if (!AnthropicJson.IsString(fmt.Name.Of(format)))
        {
            refusal = new("A json_schema text format needs a 'name' string.", "text.format.name");
            return false;
        }

        if (!AnthropicJson.IsObject(fmt.Schema.Of(format)))
        {
            refusal = new("A json_schema text format needs a 'schema' object.", "text.format.schema");
            return false;
        }

        w.WriteStartObject("response_format"u8);
        w.WriteString("type"u8, "json_schema"u8);
        w.WriteStartObject("json_schema"u8);
        AnthropicJson.WriteString(w, "name"u8, fmt.Name.Of(format));
        if (AnthropicJson.IsString(fmt.Description.Of(format)))
        {
            AnthropicJson.WriteString(w, "description"u8, fmt.Description.Of(format));
        }

        w.WritePropertyName("schema"u8);
        var schema = AnthropicJson.ReaderOn(fmt.Schema.Of(format));
        AnthropicJson.CopyValue(ref schema, w);
        if (AnthropicJson.TryGetBoolean(fmt.Strict.Of(format), out var strict))
        {
            w.WriteBoolean("strict"u8, strict);
        }

        w.WriteEndObject();
        w.WriteEndObject();
        return true;
    }
}
