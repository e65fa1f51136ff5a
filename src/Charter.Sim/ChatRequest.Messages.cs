// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text;
using System.Text.Json;

namespace Charter.Sim;

/// <summary>Reading <c>messages</c>: hashes every role and text, counts prompt tokens, keeps the last user text.</summary>
internal sealed partial class ChatRequest
{
    private static SimError? ParseMessages(ref Utf8JsonReader reader, ChatRequest request, PooledBufferWriter content, PooledBufferWriter lastUser)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return SimError.InvalidType("messages", "an array");
        }

        var hash = SimHash.Offset;
        var tokens = 3;
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return SimError.InvalidType($"messages[{count}]", "an object");
            }

            content.Clear();
            var role = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("role"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        return SimError.InvalidType($"messages[{count}].role", "a string");
                    }

                    role = RoleCode(ref reader);
                }
                else if (reader.ValueTextEquals("content"u8))
                {
                    reader.Read();
                    var error = ReadContent(ref reader, content, count);
                    if (error is not null)
                    {
                        return error;
                    }
                }
                else
                {
                    reader.Skip();
                }
            }

            if (role == 0)
            {
                return SimError.Missing($"messages[{count}].role");
            }

            hash = AddMessage(hash, role, content.WrittenSpan);
            tokens += 3 + TextTokens(content.WrittenCount);
            if (role == 2)
            {
                lastUser.Clear();
                lastUser.Write(content.WrittenSpan);
                request.LastUserText = string.Empty;
            }

            count++;
        }

        if (count == 0)
        {
            return new SimError(
                400,
                "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
                "invalid_request_error",
                "messages",
                "empty_array");
        }

        request.PromptHash = SimHash.Mix(hash);
        request.PromptTokens = tokens;
        return null;
    }

    private static SimError? ReadContent(ref Utf8JsonReader reader, PooledBufferWriter content, int index)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                JsonRead.AppendString(ref reader, content);
                return null;
            case JsonTokenType.StartArray:
                break;
            default:
                return SimError.InvalidType($"messages[{index}].content", "a string or an array of content parts");
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                JsonRead.AppendString(ref reader, content);
                continue;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return SimError.InvalidType($"messages[{index}].content", "an array of content parts");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("text"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        JsonRead.AppendString(ref reader, content);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        return null;
    }

    /// <summary>Hashes and counts a conversation read by another wire format as <see cref="ParseMessages"/> would the same
    /// chat messages: <paramref name="system"/> (Anthropic's <c>system</c>, Responses' <c>instructions</c>) as a first system
    /// message, then each message of <paramref name="text"/> (role code and length, in order; 1 system, 2 user, 3 assistant).</summary>
    public void Summarize(PooledBufferWriter text, PooledBufferWriter system, List<(int Role, int Length)> messages)
    {
        const int RoleSystem = 1;
        const int RoleUser = 2;
        var hash = SimHash.Offset;
        var tokens = 3;
        if (system.WrittenCount > 0)
        {
            hash = AddMessage(hash, RoleSystem, system.WrittenSpan);
            tokens += 3 + TextTokens(system.WrittenCount);
        }

        var all = text.WrittenSpan;
        var offset = 0;
        var lastUser = -1;
        var lastUserLength = 0;
        foreach (var (role, length) in messages)
        {
            hash = AddMessage(hash, role, all.Slice(offset, length));
            tokens += 3 + TextTokens(length);
            if (role == RoleUser)
            {
                lastUser = offset;
                lastUserLength = length;
            }

            offset += length;
        }

        PromptHash = SimHash.Mix(hash);
        PromptTokens = tokens;
        LastUserText = lastUser >= 0 ? Encoding.UTF8.GetString(all.Slice(lastUser, lastUserLength)) : null;
    }

    /// <summary>Hashes and counts a conversation of one user message as <see cref="ParseMessages"/> would (the legacy
    /// completions route's prompt); <paramref name="contentTokens"/> stands for the text's <see cref="TextTokens"/> (a prompt of
    /// token ids counts its ids).</summary>
    public void SummarizeUserMessage(ReadOnlySpan<byte> text, int contentTokens)
    {
        const int RoleUser = 2;
        PromptHash = SimHash.Mix(AddMessage(SimHash.Offset, RoleUser, text));
        PromptTokens = 3 + 3 + contentTokens;
        LastUserText = Encoding.UTF8.GetString(text);
    }

    /// <summary>Tokens a message's text counts for: ceil(UTF-8 bytes / 4).</summary>
    public static int TextTokens(int utf8Length) => (utf8Length + 3) / 4;

    private static ulong AddMessage(ulong hash, int role, ReadOnlySpan<byte> text) => SimHash.Add(SimHash.Add(hash, (ulong)role), text);

    private static int RoleCode(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("user"u8))
        {
            return 2;
        }

        if (reader.ValueTextEquals("assistant"u8))
        {
            return 3;
        }

        if (reader.ValueTextEquals("system"u8))
        {
            return 1;
        }

        if (reader.ValueTextEquals("developer"u8))
        {
            return 4;
        }

        if (reader.ValueTextEquals("tool"u8))
        {
            return 5;
        }

        return reader.ValueTextEquals("function"u8) ? 6 : 7;
    }
}
