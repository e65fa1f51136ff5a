// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Charter.Providers.Anthropic;

namespace Charter.Providers.Messages;

// Content blocks: tool results, text-only content, text parts and images.
public static partial class MessagesToChatRequest
{
    // {"role":"tool","tool_call_id":…,"content":…}; the result's content is a string or text blocks.
    private static bool WriteToolResult(Utf8JsonWriter w, ReadOnlySpan<byte> block, in MessagesMembers b, int i, int j, out MessagesTranslationError refusal)
    {
        refusal = default;
        var id = b.ToolUseId.Of(block);
        if (!AnthropicJson.IsString(id))
        {
            refusal = new("A tool_result block needs a 'tool_use_id' string.", $"messages[{i}].content[{j}].tool_use_id");
            return false;
        }

        var content = b.Content.Of(block);
        if (b.Content.Present && !AnthropicJson.IsString(content) && !AnthropicJson.IsArray(content))
        {
            refusal = new("A tool_result's 'content' must be a string or an array of text blocks.", $"messages[{i}].content[{j}].content");
            return false;
        }

        w.WriteStartObject();
        w.WriteString("role"u8, "tool"u8);
        AnthropicJson.WriteString(w, "tool_call_id"u8, id);
        if (!b.Content.Present)
        {
            w.WriteString("content"u8, ""u8);
            w.WriteEndObject();
            return true;
        }

        if (!WriteTextContent(w, content, $"messages[{i}].content[{j}].content", out refusal))
        {
            return false;
        }

        w.WriteEndObject();
        return true;
    }

    // {"role":…,"content":…} for a message that takes text only (system): a string, or text blocks.
    private static bool WriteTextOnly(Utf8JsonWriter w, ReadOnlySpan<byte> role, ReadOnlySpan<byte> content, string param, out MessagesTranslationError refusal)
    {
        w.WriteStartObject();
        w.WriteString("role"u8, role);
        if (!WriteTextContent(w, content, param, out refusal))
        {
            return false;
        }

        w.WriteEndObject();
        return true;
    }

    // "content": a string as it is; text blocks as a string (one block), text parts (several) or "" (none); any other block refused.
    private static bool WriteTextContent(Utf8JsonWriter w, ReadOnlySpan<byte> content, string param, out MessagesTranslationError refusal)
    {
        refusal = default;
        if (AnthropicJson.IsString(content))
        {
            AnthropicJson.WriteString(w, "content"u8, content);
            return true;
        }

        var texts = 0;
        var reader = AnthropicJson.ReaderOn(content);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var block = AnthropicJson.ValueSlice(ref reader).Of(content);
            if (!MessagesMembers.TryRead(block, out var b))
            {
                refusal = new("Each content block must be an object.", $"{param}[{texts}]");
                return false;
            }

            if (!AnthropicJson.StringEquals(b.Type.Of(block), "text"u8))
            {
                refusal = new($"Content blocks of type '{AnthropicJson.TextOf(b.Type.Of(block))}' are not supported here on this account; only text blocks are.", $"{param}[{texts}].type");
                return false;
            }

            if (!AnthropicJson.IsString(b.Text.Of(block)))
            {
                refusal = new("A text block needs a 'text' string.", $"{param}[{texts}].text");
                return false;
            }

            texts++;
        }

        w.WritePropertyName("content"u8);
        if (texts == 0)
        {
            w.WriteStringValue(""u8);
        }
        else
        {
            WriteTexts(w, content, asString: texts == 1);
        }

        return true;
    }

    // The text blocks of checked content: the one text as a string value, or an array of text parts.
    private static void WriteTexts(Utf8JsonWriter w, ReadOnlySpan<byte> content, bool asString)
    {
        if (!asString)
        {
            w.WriteStartArray();
        }

        var reader = AnthropicJson.ReaderOn(content);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var block = AnthropicJson.ValueSlice(ref reader).Of(content);
            MessagesMembers.TryRead(block, out var b);
            if (!AnthropicJson.StringEquals(b.Type.Of(block), "text"u8))
            {
                continue;
            }

            if (asString)
            {
                AnthropicJson.WriteStringValue(w, b.Text.Of(block));
                return;
            }

            WriteTextPart(w, b.Text.Of(block));
        }

        w.WriteEndArray();
    }

    private static void WriteTextPart(Utf8JsonWriter w, ReadOnlySpan<byte> text)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "text"u8);
        AnthropicJson.WriteString(w, "text"u8, text);
        w.WriteEndObject();
    }

    // An image block → {"type":"image_url","image_url":{"url":…}}: a base64 source as a data URL, a url source as it is.
    private static bool WriteImagePart(Utf8JsonWriter w, ReadOnlySpan<byte> block, in MessagesMembers b, string param, PooledByteWriter scratch, out MessagesTranslationError refusal)
    {
        refusal = default;
        var source = b.Source.Of(block);
        if (!MessagesMembers.TryRead(source, out var s))
        {
            refusal = new("An image block needs a 'source' object.", param + ".source");
            return false;
        }

        var type = s.Type.Of(source);
        scratch.Clear();
        if (AnthropicJson.StringEquals(type, "base64"u8))
        {
            if (!AnthropicJson.IsString(s.MediaType.Of(source)) || !AnthropicJson.IsString(s.Data.Of(source)))
            {
                refusal = new("A base64 image source needs 'media_type' and 'data' strings.", param + ".source");
                return false;
            }

            scratch.Append("data:"u8);
            AnthropicJson.AppendUnescaped(s.MediaType.Of(source), scratch);
            scratch.Append(";base64,"u8);
            AnthropicJson.AppendUnescaped(s.Data.Of(source), scratch);
        }
        else if (AnthropicJson.StringEquals(type, "url"u8))
        {
            if (!AnthropicJson.IsString(s.Url.Of(source)))
            {
                refusal = new("A url image source needs a 'url' string.", param + ".source.url");
                return false;
            }

            AnthropicJson.AppendUnescaped(s.Url.Of(source), scratch);
        }
        else
        {
            refusal = new($"Image sources of type '{AnthropicJson.TextOf(type)}' are not supported on this account; send base64 data or a URL.", param + ".source.type");
            return false;
        }

        w.WriteStartObject();
        w.WriteString("type"u8, "image_url"u8);
        w.WriteStartObject("image_url"u8);
        w.WriteString("url"u8, scratch.WrittenSpan);
        w.WriteEndObject();
        w.WriteEndObject();
        return true;
    }

    private static void WriteStringMessage(Utf8JsonWriter w, ReadOnlySpan<byte> role, ReadOnlySpan<byte> content)
    {
        w.WriteStartObject();
        w.WriteString("role"u8, role);
        AnthropicJson.WriteString(w, "content"u8, content);
        w.WriteEndObject();
    }

    private static bool IsThinking(ReadOnlySpan<byte> type) =>
        AnthropicJson.StringEquals(type, "thinking"u8) || AnthropicJson.StringEquals(type, "redacted_thinking"u8);

    private static MessagesTranslationError Unsupported(ReadOnlySpan<byte> type, string block) =>
        new($"Content blocks of type '{AnthropicJson.TextOf(type)}' are not supported on this account: its upstream speaks chat completions.", block + ".type");
}
