// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Charter.Sim;

/// <summary>One-pass parsing and validation of a Messages request body (no DOM, no DTO, thread-static scratch buffers).</summary>
/// <remarks>Errors name the field the way Anthropic does, e.g. <c>max_tokens: Field required</c>; unknown top-level fields are rejected.</remarks>
internal sealed partial class MessagesRequest
{
    private const int RoleSystem = 1;
    private const int RoleUser = 2;
    private const int RoleAssistant = 3;

    [ThreadStatic]
    private static PooledBufferWriter? t_text;

    [ThreadStatic]
    private static PooledBufferWriter? t_system;

    [ThreadStatic]
    private static List<(int Role, int Length)>? t_messages;

    /// <summary>Parses and validates <paramref name="body"/>; returns an Anthropic-shaped error or null.</summary>
    /// <param name="body">The request body.</param>
    /// <param name="request">Receives the fields.</param>
    /// <param name="countTokens">A <c>/v1/messages/count_tokens</c> body: no <c>max_tokens</c>, and only the fields that route takes (see <see cref="IsCountTokensField"/>).</param>
    public static SimError? Parse(in ReadOnlySequence<byte> body, MessagesRequest request, bool countTokens = false)
    {
        var text = t_text ??= new PooledBufferWriter(4096);
        var system = t_system ??= new PooledBufferWriter(1024);
        var messages = t_messages ??= [];
        text.Clear();
        system.Clear();
        messages.Clear();
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
            var error = ParseRoot(ref reader, request, text, system, messages, countTokens);
            if (error is not null)
            {
                return error;
            }

            if (reader.Read())
            {
                return AnthropicErrors.Malformed;
            }

            request.Chat.Summarize(text, system, messages);
            return null;
        }
        catch (JsonException)
        {
            return AnthropicErrors.Malformed;
        }
        finally
        {
            PooledBufferWriter.ReleaseIfLarge(ref t_text);
            PooledBufferWriter.ReleaseIfLarge(ref t_system);
        }
    }

    private static SimError? ParseRoot(
        ref Utf8JsonReader reader, MessagesRequest request, PooledBufferWriter text, PooledBufferWriter system, List<(int Role, int Length)> messages, bool countTokens)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return AnthropicErrors.Malformed;
        }

        var chat = request.Chat;
        var sawMaxTokens = false;
        var sawMessages = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            SimError? error = null;
            if (countTokens && !IsCountTokensField(ref reader))
            {
                return AnthropicErrors.Field(reader.GetString() ?? string.Empty, "Extra inputs are not permitted");
            }

            if (reader.ValueTextEquals("model"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return AnthropicErrors.Field("model", "Input should be a valid string");
                }

                chat.Model = KnownModels.GetString(ref reader);
            }
            else if (reader.ValueTextEquals("max_tokens"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var max))
                {
                    return AnthropicErrors.Field("max_tokens", "Input should be a valid integer");
                }

                if (max < 1)
                {
                    return AnthropicErrors.Field("max_tokens", "Input should be greater than or equal to 1");
                }

                chat.MaxTokens = max;
                sawMaxTokens = true;
            }
            else if (reader.ValueTextEquals("messages"u8))
            {
                sawMessages = true;
                error = ParseMessages(ref reader, text, messages);
            }
            else if (reader.ValueTextEquals("system"u8))
            {
                error = ParseSystem(ref reader, system);
            }
            else if (reader.ValueTextEquals("stop_sequences"u8))
            {
                error = ParseStopSequences(ref reader, request);
            }
            else if (reader.ValueTextEquals("temperature"u8))
            {
                error = ReadRange(ref reader, "temperature", 0, 1);
            }
            else if (reader.ValueTextEquals("top_p"u8))
            {
                error = ReadRange(ref reader, "top_p", 0, 1);
            }
            else if (reader.ValueTextEquals("top_k"u8))
            {
                error = ReadRange(ref reader, "top_k", 0, int.MaxValue);
            }
            else if (reader.ValueTextEquals("tools"u8))
            {
                error = ParseTools(ref reader, request);
            }
            else if (reader.ValueTextEquals("tool_choice"u8))
            {
                error = ParseToolChoice(ref reader, request);
            }
            else if (reader.ValueTextEquals("metadata"u8))
            {
                error = ParseMetadata(ref reader, chat);
            }
            else if (reader.ValueTextEquals("stream"u8))
            {
                var value = false;
                if (JsonRead.ReadBool(ref reader, "stream", ref value) is not null)
                {
                    return AnthropicErrors.Field("stream", "Input should be a valid boolean");
                }

                chat.Stream = value;
            }
            else if (reader.ValueTextEquals("thinking"u8) || reader.ValueTextEquals("service_tier"u8) || (countTokens && IsCountTokensOnlyField(ref reader)))
            {
                reader.Skip();
            }
            else
            {
                return AnthropicErrors.Field(reader.GetString() ?? string.Empty, "Extra inputs are not permitted");
            }

            if (error is not null)
            {
                return error;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            return AnthropicErrors.Malformed;
        }

        if (chat.Model is null)
        {
            return AnthropicErrors.Missing("model");
        }

        if (!sawMaxTokens && !countTokens)
        {
            return AnthropicErrors.Missing("max_tokens");
        }

        if (!sawMessages)
        {
            return AnthropicErrors.Missing("messages");
        }

        if (request.ToolChoice is "any" or "tool" && request.ToolNames is not { Count: > 0 })
        {
            return AnthropicErrors.Field("tool_choice", "tool_choice may only be specified while providing tools");
        }

        if (request.ToolChoice == "tool" && !request.ToolNames!.Contains(request.ToolChoiceName!))
        {
            return AnthropicErrors.Field("tool_choice.name", $"Tool '{request.ToolChoiceName}' not found in tools");
        }

        return null;
    }

    private static SimError? ParseMessages(ref Utf8JsonReader reader, PooledBufferWriter text, List<(int Role, int Length)> messages)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return AnthropicErrors.Field("messages", "Input should be a valid list");
        }

        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return AnthropicErrors.Field($"messages.{index}", "Input should be a valid dictionary");
            }

            var role = 0;
            var sawContent = false;
            var start = text.WrittenCount;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("role"u8))
                {
                    reader.Read();
                    role = reader.TokenType != JsonTokenType.String ? -1
                        : reader.ValueTextEquals("user"u8) ? RoleUser
                        : reader.ValueTextEquals("assistant"u8) ? RoleAssistant
                        : -1;
                    if (role < 0)
                    {
                        return AnthropicErrors.Field($"messages.{index}.role", "Input should be 'user' or 'assistant'");
                    }
                }
                else if (reader.ValueTextEquals("content"u8))
                {
                    reader.Read();
                    sawContent = true;
                    var error = ReadContent(ref reader, text, index);
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
                return AnthropicErrors.Missing($"messages.{index}.role");
            }

            if (!sawContent)
            {
                return AnthropicErrors.Missing($"messages.{index}.content");
            }

            messages.Add((role, text.WrittenCount - start));
            index++;
        }

        return index == 0 ? AnthropicErrors.Field("messages", "at least one message is required") : null;
    }

    /// <summary>Appends the text of a message's content: a string, or its text blocks and tool results (tool_use and images add none).</summary>
    private static SimError? ReadContent(ref Utf8JsonReader reader, PooledBufferWriter text, int index)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            JsonRead.AppendString(ref reader, text);
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return AnthropicErrors.Field($"messages.{index}.content", "Input should be a valid string or a list of content blocks");
        }

        var block = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return AnthropicErrors.Field($"messages.{index}.content.{block}", "Input should be a valid dictionary");
            }

            var error = ReadBlock(ref reader, text, index, block);
            if (error is not null)
            {
                return error;
            }

            block++;
        }

        return null;
    }

    private static SimError? ReadBlock(ref Utf8JsonReader reader, PooledBufferWriter text, int index, int block)
    {
        string? type = null;
        bool hasText = false, hasId = false, hasName = false, hasInput = false, hasToolUseId = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return AnthropicErrors.Field($"messages.{index}.content.{block}.type", "Input should be a valid string");
                }

                type = reader.ValueTextEquals("text"u8) ? "text"
                    : reader.ValueTextEquals("tool_use"u8) ? "tool_use"
                    : reader.ValueTextEquals("tool_result"u8) ? "tool_result"
                    : "other";
            }
            else if (reader.ValueTextEquals("text"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return AnthropicErrors.Field($"messages.{index}.content.{block}.text", "Input should be a valid string");
                }

                JsonRead.AppendString(ref reader, text);
                hasText = true;
            }
            else if (reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                if (!AppendNestedText(ref reader, text))
                {
                    return AnthropicErrors.Field($"messages.{index}.content.{block}.content", "Input should be a valid string or a list of content blocks");
                }
            }
            else if (reader.ValueTextEquals("input"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    return AnthropicErrors.Field($"messages.{index}.content.{block}.input", "Input should be a valid dictionary");
                }

                reader.Skip();
                hasInput = true;
            }
            else
            {
                var isId = reader.ValueTextEquals("id"u8);
                var isName = !isId && reader.ValueTextEquals("name"u8);
                var isToolUseId = !isId && !isName && reader.ValueTextEquals("tool_use_id"u8);
                reader.Read();
                var isString = reader.TokenType == JsonTokenType.String;
                reader.Skip();
                hasId |= isId && isString;
                hasName |= isName && isString;
                hasToolUseId |= isToolUseId && isString;
            }
        }

        var missing = type switch
        {
            null => "type",
            "text" when !hasText => "text",
            "tool_use" when !hasId => "id",
            "tool_use" when !hasName => "name",
            "tool_use" when !hasInput => "input",
            "tool_result" when !hasToolUseId => "tool_use_id",
            _ => null,
        };
        return missing is null ? null : AnthropicErrors.Missing($"messages.{index}.content.{block}.{missing}");
    }

    /// <summary>A tool result's <c>content</c>: null, a string, or blocks whose <c>text</c> is appended.</summary>
    private static bool AppendNestedText(ref Utf8JsonReader reader, PooledBufferWriter text)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.String:
                JsonRead.AppendString(ref reader, text);
                return true;
            case JsonTokenType.StartArray:
                break;
            default:
                return false;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isText = reader.ValueTextEquals("text"u8);
                reader.Read();
                if (isText && reader.TokenType == JsonTokenType.String)
                {
                    JsonRead.AppendString(ref reader, text);
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        return true;
    }

    private static SimError? ParseSystem(ref Utf8JsonReader reader, PooledBufferWriter system)
    {
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                JsonRead.AppendString(ref reader, system);
                return null;
            case JsonTokenType.StartArray:
                break;
            default:
                return AnthropicErrors.Field("system", "Input should be a valid string or a list of text blocks");
        }

        var block = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return AnthropicErrors.Field($"system.{block}", "Input should be a valid dictionary");
            }

            var hasText = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isText = reader.ValueTextEquals("text"u8);
                reader.Read();
                if (isText && reader.TokenType == JsonTokenType.String)
                {
                    JsonRead.AppendString(ref reader, system);
                    hasText = true;
                }
                else
                {
                    reader.Skip();
                }
            }

            if (!hasText)
            {
                return AnthropicErrors.Missing($"system.{block}.text");
            }

            block++;
        }

        return null;
    }

    private static SimError? ParseStopSequences(ref Utf8JsonReader reader, MessagesRequest request)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return AnthropicErrors.Field("stop_sequences", "Input should be a valid list");
        }

        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                return AnthropicErrors.Field($"stop_sequences.{index}", "Input should be a valid string");
            }

            var value = reader.GetString();
            if (!string.IsNullOrEmpty(value))
            {
                (request.StopSequences ??= []).Add(value);
            }

            index++;
        }

        return null;
    }

    private static SimError? ParseTools(ref Utf8JsonReader reader, MessagesRequest request)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return AnthropicErrors.Field("tools", "Input should be a valid list");
        }

        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return AnthropicErrors.Field($"tools.{index}", "Input should be a valid dictionary");
            }

            string? name = null;
            string? type = null;
            var hasSchema = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("name"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        return AnthropicErrors.Field($"tools.{index}.name", "Input should be a valid string");
                    }

                    name = reader.GetString();
                }
                else if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    type = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("input_schema"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        return AnthropicErrors.Field($"tools.{index}.input_schema", "Input should be a valid dictionary");
                    }

                    reader.Skip();
                    hasSchema = true;
                }
                else
                {
                    reader.Skip();
                }
            }

            if (string.IsNullOrEmpty(name))
            {
                return AnthropicErrors.Missing($"tools.{index}.name");
            }

            if (!hasSchema && (type is null || type == "custom"))
            {
                return AnthropicErrors.Missing($"tools.{index}.input_schema");
            }

            (request.ToolNames ??= []).Add(name);
            index++;
        }

        return null;
    }

    private static SimError? ParseToolChoice(ref Utf8JsonReader reader, MessagesRequest request)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return AnthropicErrors.Field("tool_choice", "Input should be a valid dictionary");
        }

        var sawType = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                sawType = true;
                request.ToolChoice = reader.TokenType != JsonTokenType.String ? null
                    : reader.ValueTextEquals("auto"u8) ? "auto"
                    : reader.ValueTextEquals("any"u8) ? "any"
                    : reader.ValueTextEquals("tool"u8) ? "tool"
                    : reader.ValueTextEquals("none"u8) ? "none"
                    : null;
                if (request.ToolChoice is null)
                {
                    return AnthropicErrors.Field("tool_choice.type", "Input should be 'auto', 'any', 'tool' or 'none'");
                }
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return AnthropicErrors.Field("tool_choice.name", "Input should be a valid string");
                }

                request.ToolChoiceName = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }

        if (!sawType)
        {
            return AnthropicErrors.Missing("tool_choice.type");
        }

        return request.ToolChoice == "tool" && request.ToolChoiceName is null ? AnthropicErrors.Missing("tool_choice.name") : null;
    }

    /// <summary><c>metadata</c>: <c>user_id</c>, plus the simulator's own <c>sim_answer</c> (multiple-choice truth); nothing else.</summary>
    private static SimError? ParseMetadata(ref Utf8JsonReader reader, ChatRequest chat)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return AnthropicErrors.Field("metadata", "Input should be a valid dictionary");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("user_id"u8))
            {
                reader.Read();
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
                {
                    return AnthropicErrors.Field("metadata.user_id", "Input should be a valid string");
                }
            }
            else if (reader.ValueTextEquals("sim_answer"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    chat.SimAnswer = reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                return AnthropicErrors.Field("metadata." + reader.GetString(), "Extra inputs are not permitted");
            }
        }

        return null;
    }

    private static SimError? ReadRange(ref Utf8JsonReader reader, string field, double min, double max)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var value))
        {
            return AnthropicErrors.Field(field, "Input should be a valid number");
        }

        if (value < min)
        {
            return AnthropicErrors.Field(field, $"Input should be greater than or equal to {min}");
        }

        return value > max ? AnthropicErrors.Field(field, $"Input should be less than or equal to {max}") : null;
    }
}
