// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Charter.Providers.Anthropic;
using Charter.Streaming;

namespace Charter.Providers.Messages;

/// <summary>A non-streamed <c>chat.completion</c> → an Anthropic Messages API <c>message</c>.</summary>
/// <remarks>
/// <para>
/// Shape: <c>{"id","type":"message","role":"assistant","model","content":[…],"stop_reason","stop_sequence":null,
/// "usage":{"input_tokens","output_tokens","cache_read_input_tokens","cache_creation_input_tokens":0}}</c>.
/// </para>
/// <para>
/// Content, from the first choice's message: its text as a text block (none when empty or null; text parts, from servers
/// that answer with parts, one block each), its <c>refusal</c> as a text block, then each tool call as a <c>tool_use</c>
/// block whose <c>input</c> is the parsed <c>arguments</c> (<c>{}</c> when they are not a JSON object) and whose id is the
/// call's (made from the message id when missing); a legacy <c>function_call</c> is one more tool_use block.
/// <c>finish_reason</c> maps as <see cref="MessagesStopReason"/> does. Usage: <c>input_tokens</c> = prompt − cached,
/// <c>output_tokens</c> = completion, <c>cache_read_input_tokens</c> = cached (zeros without usage).
/// </para>
/// </remarks>
public static class ChatToMessagesAnswer
{
    /// <summary>Translates a chat completion into an Anthropic message written to <paramref name="output"/>.</summary>
    /// <param name="chatCompletion">The upstream's 200 body (UTF-8 JSON).</param>
    /// <param name="messageId">The message's id (<c>msg_…</c>).</param>
    /// <param name="model">The model name the client asked for.</param>
    /// <param name="output">Receives the message; nothing is written when the translation fails.</param>
    /// <returns>False when the body is not a chat completion with a choice (answer 502).</returns>
    public static bool TryTranslate(ReadOnlySpan<byte> chatCompletion, string messageId, string model, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(output);
        using var body = new PooledByteWriter(chatCompletion.Length + 512);
        using var scratch = new PooledByteWriter(256);
        try
        {
            if (!ChatMembers.TryRead(chatCompletion, out var top) || !AnthropicJson.IsArray(top.Choices.Of(chatCompletion)))
            {
                return false;
            }

            var choices = top.Choices.Of(chatCompletion);
            var reader = AnthropicJson.ReaderOn(choices);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            var choice = AnthropicJson.ValueSlice(ref reader).Of(choices);
            ChatMembers.TryRead(choice, out var c);
            var message = c.Message.Of(choice);
            ChatMembers.TryRead(message, out var m);
            UsageReader.TryRead(chatCompletion, out var usage);

            using (var w = new Utf8JsonWriter(body, AnthropicJson.WriterOptions))
            {
                w.WriteStartObject();
                w.WriteString("id"u8, messageId);
                w.WriteString("type"u8, "message"u8);
                w.WriteString("role"u8, "assistant"u8);
                w.WriteString("model"u8, model);
                w.WriteStartArray("content"u8);
                WriteTexts(w, m.Content.Of(message));
                WriteTexts(w, m.Refusal.Of(message));
                var tools = WriteToolUses(w, message, m, messageId, scratch);
                w.WriteEndArray();
                w.WriteString("stop_reason"u8, MessagesStopReason.Text(MessagesStopReason.FromFinishReason(c.FinishReason.Of(choice)), tools > 0));
                w.WriteNull("stop_sequence"u8);
                WriteUsage(w, usage);
                w.WriteEndObject();
            }

            output.Write(body.WrittenSpan);
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Writes <c>usage</c> as an Anthropic message has it.</summary>
    internal static void WriteUsage(Utf8JsonWriter w, in Usage usage)
    {
        w.WriteStartObject("usage"u8);
        w.WriteNumber("input_tokens"u8, Math.Max(0, usage.PromptTokens - usage.CachedTokens));
        w.WriteNumber("output_tokens"u8, usage.CompletionTokens);
        w.WriteNumber("cache_read_input_tokens"u8, usage.CachedTokens);
        w.WriteNumber("cache_creation_input_tokens"u8, 0);
        w.WriteEndObject();
    }

    /// <summary>The id of a tool_use block whose call came without one: <c>toolu_</c>, the message id's suffix, the call's number.</summary>
    internal static string ToolUseId(string messageId, int k)
    {
        var suffix = messageId.StartsWith("msg_", StringComparison.Ordinal) ? messageId.AsSpan(4) : messageId.AsSpan();
        return string.Concat("toolu_", suffix, "_", k.ToString(CultureInfo.InvariantCulture));
    }

    // A content string (non-empty) as a text block; text parts as one text block each.
    private static void WriteTexts(Utf8JsonWriter w, ReadOnlySpan<byte> content)
    {
        if (AnthropicJson.IsString(content))
        {
            if (!AnthropicJson.IsEmptyString(content))
            {
                WriteTextBlock(w, content);
            }

            return;
        }

        if (!AnthropicJson.IsArray(content))
        {
            return;
        }

        var reader = AnthropicJson.ReaderOn(content);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var part = AnthropicJson.ValueSlice(ref reader).Of(content);
            if (MessagesMembers.TryRead(part, out var p)
                && AnthropicJson.StringEquals(p.Type.Of(part), "text"u8)
                && AnthropicJson.IsString(p.Text.Of(part))
                && !AnthropicJson.IsEmptyString(p.Text.Of(part)))
            {
                WriteTextBlock(w, p.Text.Of(part));
            }
        }
    }

    private static void WriteTextBlock(Utf8JsonWriter w, ReadOnlySpan<byte> text)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "text"u8);
        AnthropicJson.WriteString(w, "text"u8, text);
        w.WriteEndObject();
    }

    // Each tool call (and a legacy function_call) as a tool_use block; returns how many were written.
    private static int WriteToolUses(Utf8JsonWriter w, ReadOnlySpan<byte> message, in ChatMembers m, string messageId, PooledByteWriter scratch)
    {
        var k = 0;
        var toolCalls = m.ToolCalls.Of(message);
        if (AnthropicJson.IsArray(toolCalls))
        {
            var reader = AnthropicJson.ReaderOn(toolCalls);
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var call = AnthropicJson.ValueSlice(ref reader).Of(toolCalls);
                if (!ChatMembers.TryRead(call, out var tc))
                {
                    continue;
                }

                var function = tc.Function.Of(call);
                ChatMembers.TryRead(function, out var f);
                WriteToolUse(w, tc.Id.Of(call), f.Name.Of(function), f.Arguments.Of(function), messageId, k, scratch);
                k++;
            }
        }

        var functionCall = m.FunctionCall.Of(message);
        if (ChatMembers.TryRead(functionCall, out var fc))
        {
            WriteToolUse(w, default, fc.Name.Of(functionCall), fc.Arguments.Of(functionCall), messageId, k, scratch);
            k++;
        }

        return k;
    }

    private static void WriteToolUse(Utf8JsonWriter w, ReadOnlySpan<byte> id, ReadOnlySpan<byte> name, ReadOnlySpan<byte> arguments, string messageId, int k, PooledByteWriter scratch)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "tool_use"u8);
        if (AnthropicJson.IsString(id) && !AnthropicJson.IsEmptyString(id))
        {
            AnthropicJson.WriteString(w, "id"u8, id);
        }
        else
        {
            w.WriteString("id"u8, ToolUseId(messageId, k));
        }

        if (AnthropicJson.IsString(name))
        {
            AnthropicJson.WriteString(w, "name"u8, name);
        }
        else
        {
            w.WriteString("name"u8, ""u8);
        }

        w.WritePropertyName("input"u8);
        scratch.Clear();
        if (AnthropicJson.IsString(arguments))
        {
            AnthropicJson.AppendUnescaped(arguments, scratch);
        }

        if (AnthropicJson.IsWholeObject(scratch.WrittenSpan))
        {
            var reader = AnthropicJson.ReaderOn(scratch.WrittenSpan);
            AnthropicJson.CopyValue(ref reader, w);
        }
        else
        {
            w.WriteStartObject();
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }
}
