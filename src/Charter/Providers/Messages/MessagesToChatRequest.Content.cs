// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Charter.Providers.Anthropic;

namespace Charter.Providers.Messages;

// The system prompt and the messages: content blocks to chat messages and parts.
public static partial class MessagesToChatRequest
{
    private static bool WriteSystem(Utf8JsonWriter w, ReadOnlySpan<byte> system, out MessagesTranslationError refusal)
    {
        refusal = default;
        if (system.IsEmpty || (AnthropicJson.IsString(system) && AnthropicJson.IsEmptyString(system)) || (AnthropicJson.IsArray(system) && IsEmptyArray(system)))
        {
            return true;
        }

        if (!AnthropicJson.IsString(system) && !AnthropicJson.IsArray(system))
        {
            refusal = new("'system' must be a string or an array of text blocks.", "system");
            return false;
        }

        return WriteTextOnly(w, "system"u8, system, "system", out refusal);
    }

    private static bool WriteMessages(Utf8JsonWriter w, ReadOnlySpan<byte> messages, PooledByteWriter scratch, out MessagesTranslationError refusal)
    {
        refusal = default;
        if (!AnthropicJson.IsArray(messages))
        {
            refusal = new("'messages' must be an array of messages.", "messages");
            return false;
        }

        var reader = AnthropicJson.ReaderOn(messages);
        var i = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var message = AnthropicJson.ValueSlice(ref reader).Of(messages);
            if (!WriteMessage(w, message, i, scratch, out refusal))
            {
                return false;
            }

            i++;
        }

        return true;
    }

    private static bool WriteMessage(Utf8JsonWriter w, ReadOnlySpan<byte> message, int i, PooledByteWriter scratch, out MessagesTranslationError refusal)
    {
        refusal = default;
        if (!MessagesMembers.TryRead(message, out var m))
        {
            refusal = new("Each message must be an object.", $"messages[{i}]");
            return false;
        }

        var role = m.Role.Of(message);
        var content = m.Content.Of(message);
        if (!AnthropicJson.IsString(content) && !AnthropicJson.IsArray(content))
        {
            refusal = new("A message needs 'content': a string or an array of content blocks.", $"messages[{i}].content");
            return false;
        }

        if (AnthropicJson.StringEquals(role, "user"u8))
        {
            return WriteUser(w, content, i, scratch, out refusal);
        }

        if (AnthropicJson.StringEquals(role, "assistant"u8))
        {
            return WriteAssistant(w, content, i, scratch, out refusal);
        }

        if (AnthropicJson.StringEquals(role, "system"u8))
        {
            return WriteTextOnly(w, "system"u8, content, $"messages[{i}].content", out refusal);
        }

        refusal = new("A message's 'role' must be user or assistant.", $"messages[{i}].role");
        return false;
    }

    // A user turn: each tool_result block becomes a tool message, first; the text and image blocks then make one user message.
    private static bool WriteUser(Utf8JsonWriter w, ReadOnlySpan<byte> content, int i, PooledByteWriter scratch, out MessagesTranslationError refusal)
    {
        refusal = default;
        if (AnthropicJson.IsString(content))
        {
            WriteStringMessage(w, "user"u8, content);
            return true;
        }

        int texts = 0, parts = 0, results = 0, j = 0;
        var reader = AnthropicJson.ReaderOn(content);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var block = AnthropicJson.ValueSlice(ref reader).Of(content);
            if (!MessagesMembers.TryRead(block, out var b))
            {
                refusal = new("Each content block must be an object.", $"messages[{i}].content[{j}]");
                return false;
            }

            var type = b.Type.Of(block);
            if (AnthropicJson.StringEquals(type, "tool_result"u8))
            {
                if (!WriteToolResult(w, block, b, i, j, out refusal))
                {
                    return false;
                }

                results++;
            }
            else if (AnthropicJson.StringEquals(type, "text"u8))
            {
                if (!AnthropicJson.IsString(b.Text.Of(block)))
                {
                    refusal = new("A text block needs a 'text' string.", $"messages[{i}].content[{j}].text");
                    return false;
                }

                texts++;
                parts++;
            }
            else if (AnthropicJson.StringEquals(type, "image"u8))
            {
                parts++;
            }
            else if (!IsThinking(type))
            {
                refusal = Unsupported(type, $"messages[{i}].content[{j}]");
                return false;
            }

            j++;
        }

        if (parts == 0 && results > 0)
        {
            return true;
        }

        w.WriteStartObject();
        w.WriteString("role"u8, "user"u8);
        if (parts == 0)
        {
            w.WriteString("content"u8, ""u8);
        }
        else if (parts == 1 && texts == 1)
        {
            w.WritePropertyName("content"u8);
            WriteTexts(w, content, asString: true);
        }
        else
        {
            w.WriteStartArray("content"u8);
            reader = AnthropicJson.ReaderOn(content);
            j = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var block = AnthropicJson.ValueSlice(ref reader).Of(content);
                MessagesMembers.TryRead(block, out var b);
                var type = b.Type.Of(block);
                if (AnthropicJson.StringEquals(type, "text"u8))
                {
                    WriteTextPart(w, b.Text.Of(block));
                }
                else if (AnthropicJson.StringEquals(type, "image"u8) && !WriteImagePart(w, block, b, $"messages[{i}].content[{j}]", scratch, out refusal))
                {
                    return false;
                }

                j++;
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
        return true;
    }

    // An assistant turn: text blocks make the content, tool_use blocks the tool_calls; thinking is dropped.
    private static bool WriteAssistant(Utf8JsonWriter w, ReadOnlySpan<byte> content, int i, PooledByteWriter scratch, out MessagesTranslationError refusal)
    {
        refusal = default;
        if (AnthropicJson.IsString(content))
        {
            WriteStringMessage(w, "assistant"u8, content);
            return true;
        }

        int texts = 0, tools = 0, j = 0;
        var reader = AnthropicJson.ReaderOn(content);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var block = AnthropicJson.ValueSlice(ref reader).Of(content);
            if (!MessagesMembers.TryRead(block, out var b))
            {
                refusal = new("Each content block must be an object.", $"messages[{i}].content[{j}]");
                return false;
            }

            var type = b.Type.Of(block);
            if (AnthropicJson.StringEquals(type, "text"u8))
            {
                if (!AnthropicJson.IsString(b.Text.Of(block)))
                {
                    refusal = new("A text block needs a 'text' string.", $"messages[{i}].content[{j}].text");
                    return false;
                }

                texts++;
            }
            else if (AnthropicJson.StringEquals(type, "tool_use"u8))
            {
                if (!AnthropicJson.IsString(b.Id.Of(block)))
                {
                    refusal = new("A tool_use block needs an 'id' string.", $"messages[{i}].content[{j}].id");
                    return false;
                }

                if (!AnthropicJson.IsString(b.Name.Of(block)))
                {
                    refusal = new("A tool_use block needs a 'name' string.", $"messages[{i}].content[{j}].name");
                    return false;
                }

                if (b.Input.Present && !AnthropicJson.IsObject(b.Input.Of(block)))
                {
                    refusal = new("A tool_use block's 'input' must be an object.", $"messages[{i}].content[{j}].input");
                    return false;
                }

                tools++;
            }
            else if (!IsThinking(type))
            {
                refusal = AnthropicJson.StringEquals(type, "image"u8) || AnthropicJson.StringEquals(type, "tool_result"u8)
                    ? new($"Content blocks of type '{AnthropicJson.TextOf(type)}' are not supported in assistant messages.", $"messages[{i}].content[{j}].type")
                    : Unsupported(type, $"messages[{i}].content[{j}]");
                return false;
            }

            j++;
        }

        w.WriteStartObject();
        w.WriteString("role"u8, "assistant"u8);
        if (texts == 0)
        {
            // Chat completions wants content or tool calls: null beside tool calls, else an empty text.
            if (tools > 0)
            {
                w.WriteNull("content"u8);
            }
            else
            {
                w.WriteString("content"u8, ""u8);
            }
        }
        else
        {
            w.WritePropertyName("content"u8);
            WriteTexts(w, content, asString: texts == 1);
        }

        if (tools > 0)
        {
            w.WriteStartArray("tool_calls"u8);
            reader = AnthropicJson.ReaderOn(content);
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var block = AnthropicJson.ValueSlice(ref reader).Of(content);
                MessagesMembers.TryRead(block, out var b);
                if (!AnthropicJson.StringEquals(b.Type.Of(block), "tool_use"u8))
                {
                    continue;
                }

                w.WriteStartObject();
                AnthropicJson.WriteString(w, "id"u8, b.Id.Of(block));
                w.WriteString("type"u8, "function"u8);
                w.WriteStartObject("function"u8);
                AnthropicJson.WriteString(w, "name"u8, b.Name.Of(block));
                scratch.Clear();
                if (b.Input.Present)
                {
                    AppendCompact(b.Input.Of(block), scratch);
                }
                else
                {
                    scratch.Append("{}"u8);
                }

                w.WriteString("arguments"u8, scratch.WrittenSpan);
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
        return true;
    }
}
