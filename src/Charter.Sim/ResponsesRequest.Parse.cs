// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Charter.Sim;

/// <summary>One-pass parsing and validation of a Responses request body (no DOM, no DTO, thread-static scratch buffers).</summary>
/// <remarks>
/// Errors are OpenAI's: 400 <c>{"error":{"message","type":"invalid_request_error","param","code"}}</c> naming the member
/// (<c>input[2].content</c>); a top-level member the API does not know is refused with <c>unknown_parameter</c>.
/// </remarks>
internal sealed partial class ResponsesRequest
{
    /// <summary>Smallest <c>max_output_tokens</c> the Responses API accepts.</summary>
    public const int MinOutputTokens = 16;

    private const int RoleSystem = 1;
    private const int RoleUser = 2;
    private const int RoleAssistant = 3;
    private const int RoleDeveloper = 4;
    private const int RoleTool = 5;
    private const int MaxMetadataPairs = 16;

    private static readonly string[] s_include =
    [
        "file_search_call.results",
        "web_search_call.results",
        "web_search_call.action.sources",
        "message.input_image.image_url",
        "computer_call_output.output.image_url",
        "code_interpreter_call.outputs",
        "reasoning.encrypted_content",
        "message.output_text.logprobs",
    ];

    private static readonly string[] s_truncation = ["auto", "disabled"];

    private static readonly string[] s_serviceTiers = ["auto", "default", "flex", "scale", "priority"];

    [ThreadStatic]
    private static PooledBufferWriter? t_text;

    [ThreadStatic]
    private static PooledBufferWriter? t_instructions;

    [ThreadStatic]
    private static List<(int Role, int Length)>? t_messages;

    /// <summary>Parses and validates <paramref name="body"/>; returns an OpenAI-shaped error or null.</summary>
    public static SimError? Parse(in ReadOnlySequence<byte> body, ResponsesRequest request)
    {
        var text = t_text ??= new PooledBufferWriter(4096);
        var instructions = t_instructions ??= new PooledBufferWriter(1024);
        var messages = t_messages ??= [];
        text.Clear();
        instructions.Clear();
        messages.Clear();
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
            var error = ParseRoot(ref reader, body, request, text, instructions, messages);
            if (error is not null)
            {
                return error;
            }

            if (reader.Read())
            {
                return SimError.Malformed;
            }

            request.Chat.Summarize(text, instructions, messages);
            return null;
        }
        catch (JsonException)
        {
            return SimError.Malformed;
        }
        finally
        {
            PooledBufferWriter.ReleaseIfLarge(ref t_text);
            PooledBufferWriter.ReleaseIfLarge(ref t_instructions);
        }
    }

    private static SimError? ParseRoot(
        ref Utf8JsonReader reader, in ReadOnlySequence<byte> body, ResponsesRequest request, PooledBufferWriter text, PooledBufferWriter instructions, List<(int Role, int Length)> messages)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return SimError.Malformed;
        }

        var chat = request.Chat;
        var sawInput = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            SimError? error = null;
            if (reader.ValueTextEquals("model"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return SimError.InvalidType("model", "a string");
                }

                chat.Model = KnownModels.GetString(ref reader);
            }
            else if (reader.ValueTextEquals("input"u8))
            {
                sawInput = true;
                error = ParseInput(ref reader, text, messages, out var inputStart);
                request.InputStart = inputStart;
                request.InputEnd = reader.BytesConsumed;
            }
            else if (reader.ValueTextEquals("instructions"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    instructions.Clear();
                    JsonRead.AppendString(ref reader, instructions);
                    request.Instructions = Encoding.UTF8.GetString(instructions.WrittenSpan);
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    return SimError.InvalidType("instructions", "a string");
                }
            }
            else if (reader.ValueTextEquals("max_output_tokens"u8))
            {
                var max = -1;
                error = JsonRead.ReadInt(ref reader, "max_output_tokens", ref max);
                if (error is null && max != -1 && max < MinOutputTokens)
                {
                    return ResponsesErrors.IntegerBelowMin("max_output_tokens", MinOutputTokens, max);
                }

                chat.MaxTokens = max;
            }
            else if (reader.ValueTextEquals("stream"u8))
            {
                var value = false;
                error = JsonRead.ReadBool(ref reader, "stream", ref value);
                chat.Stream = value;
            }
            else if (reader.ValueTextEquals("stream_options"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    chat.StreamOptionsPresent = true;
                    reader.Skip();
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    return SimError.InvalidType("stream_options", "an object");
                }
            }
            else if (reader.ValueTextEquals("temperature"u8))
            {
                error = JsonRead.ReadNumberInRange(ref reader, "temperature", 0, 2, out var value);
                request.Temperature = value;
            }
            else if (reader.ValueTextEquals("top_p"u8))
            {
                error = JsonRead.ReadNumberInRange(ref reader, "top_p", 0, 1, out var value);
                request.TopP = value;
            }
            else if (reader.ValueTextEquals("tools"u8))
            {
                error = ParseTools(ref reader, body, request);
            }
            else if (reader.ValueTextEquals("tool_choice"u8))
            {
                error = ParseToolChoice(ref reader, request);
            }
            else if (reader.ValueTextEquals("parallel_tool_calls"u8))
            {
                error = ReadBool(ref reader, "parallel_tool_calls", out var value);
                request.ParallelToolCalls = value;
            }
            else if (reader.ValueTextEquals("store"u8))
            {
                error = ReadBool(ref reader, "store", out var value);
                request.Store = value;
            }
            else if (reader.ValueTextEquals("background"u8))
            {
                error = ReadBool(ref reader, "background", out var value);
                if (error is null && value == true)
                {
                    return SimError.InvalidValue("background", "the simulated provider does not run responses in the background; send false or leave it out.");
                }
            }
            else if (reader.ValueTextEquals("previous_response_id"u8))
            {
                error = ReadString(ref reader, "previous_response_id", out var value);
                request.PreviousResponseId = value;
            }
            else if (reader.ValueTextEquals("user"u8))
            {
                error = ReadString(ref reader, "user", out var value);
                request.User = value;
            }
            else if (reader.ValueTextEquals("safety_identifier"u8))
            {
                error = ReadString(ref reader, "safety_identifier", out var value);
                request.SafetyIdentifier = value;
            }
            else if (reader.ValueTextEquals("prompt_cache_key"u8))
            {
                error = ReadString(ref reader, "prompt_cache_key", out var value);
                request.PromptCacheKey = value;
            }
            else if (reader.ValueTextEquals("prompt_cache_retention"u8))
            {
                error = ReadString(ref reader, "prompt_cache_retention", out _);
            }
            else if (reader.ValueTextEquals("metadata"u8))
            {
                error = ParseMetadata(ref reader, body, request);
            }
            else if (reader.ValueTextEquals("include"u8))
            {
                error = ParseInclude(ref reader, chat);
            }
            else if (reader.ValueTextEquals("top_logprobs"u8))
            {
                var value = 0;
                error = JsonRead.ReadInt(ref reader, "top_logprobs", ref value);
                if (error is null && value is < 0 or > 20)
                {
                    return value < 0 ? ResponsesErrors.IntegerBelowMin("top_logprobs", 0, value) : ResponsesErrors.IntegerAboveMax("top_logprobs", 20, value);
                }

                chat.TopLogprobs = value;
            }
            else if (reader.ValueTextEquals("max_tool_calls"u8))
            {
                var value = -1;
                error = JsonRead.ReadInt(ref reader, "max_tool_calls", ref value);
                if (error is null && value != -1 && value < 1)
                {
                    return ResponsesErrors.IntegerBelowMin("max_tool_calls", 1, value);
                }

                request.MaxToolCalls = value == -1 ? null : value;
            }
            else if (reader.ValueTextEquals("text"u8))
            {
                error = ReadRawObject(ref reader, body, "text", out var raw);
                request.Text = raw;
            }
            else if (reader.ValueTextEquals("reasoning"u8))
            {
                error = ReadRawObject(ref reader, body, "reasoning", out var raw);
                request.Reasoning = raw;
            }
            else if (reader.ValueTextEquals("truncation"u8))
            {
                error = ReadEnum(ref reader, "truncation", s_truncation, "'auto' and 'disabled'", out var value);
                request.Truncation = value;
            }
            else if (reader.ValueTextEquals("service_tier"u8))
            {
                error = ReadEnum(ref reader, "service_tier", s_serviceTiers, "'auto', 'default', 'flex', 'scale' and 'priority'", out _);
            }
            else
            {
                return ResponsesErrors.UnknownParameter(reader.GetString() ?? string.Empty);
            }

            if (error is not null)
            {
                return error;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            return SimError.Malformed;
        }

        return Validate(request, sawInput);
    }

    private static SimError? Validate(ResponsesRequest request, bool sawInput)
    {
        var chat = request.Chat;
        if (chat.Model is null)
        {
            return SimError.Missing("model");
        }

        if (!sawInput)
        {
            return SimError.Missing("input");
        }

        if (chat.StreamOptionsPresent && !chat.Stream)
        {
            return new SimError(400, "The 'stream_options' parameter is only allowed when 'stream' is enabled.", "invalid_request_error", "stream_options", "invalid_value");
        }

        if (request.ToolChoice == "required" && request.Tools is not { Count: > 0 })
        {
            return new SimError(400, "Tool choice 'required' must be specified with 'tools' parameter.", "invalid_request_error", "tool_choice", "invalid_value");
        }

        if (request.ToolChoice == "function" && !HasTool(request.Tools, request.ToolChoiceName!))
        {
            return new SimError(400, $"Tool choice 'function' with name '{request.ToolChoiceName}' not found in 'tools' parameter.", "invalid_request_error", "tool_choice", "invalid_value");
        }

        return null;
    }

    private static bool HasTool(List<ResponsesTool>? tools, string name)
    {
        if (tools is null)
        {
            return false;
        }

        foreach (var tool in tools)
        {
            if (string.Equals(tool.Name, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>metadata</c>: at most 16 string values; <c>sim_answer</c> is the multiple-choice truth, as on the chat route. Kept raw to echo it.</summary>
    private static SimError? ParseMetadata(ref Utf8JsonReader reader, in ReadOnlySequence<byte> body, ResponsesRequest request)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return SimError.InvalidType("metadata", "an object");
        }

        var start = reader.TokenStartIndex;
        var count = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isAnswer = reader.ValueTextEquals("sim_answer"u8);
            var key = isAnswer ? null : reader.GetString();
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                return SimError.InvalidType("metadata." + (key ?? "sim_answer"), "a string");
            }

            if (isAnswer)
            {
                request.Chat.SimAnswer = reader.GetString();
            }

            count++;
        }

        if (count > MaxMetadataPairs)
        {
            return SimError.InvalidValue("metadata", $"Object has too many properties. Expected an object with at most {MaxMetadataPairs} properties, but got {count} instead.");
        }

        request.Metadata = body.Slice(start, reader.BytesConsumed - start).ToArray();
        return null;
    }

    private static SimError? ParseInclude(ref Utf8JsonReader reader, ChatRequest chat)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return SimError.InvalidType("include", "an array of strings");
        }

        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                return SimError.InvalidType($"include[{index}]", "a string");
            }

            if (reader.ValueTextEquals("message.output_text.logprobs"u8))
            {
                chat.Logprobs = true;
            }
            else if (Array.IndexOf(s_include, reader.GetString()) < 0)
            {
                return ResponsesErrors.Unsupported($"include[{index}]", reader.GetString(), "'" + string.Join("', '", s_include) + "'");
            }

            index++;
        }

        return null;
    }

    private static SimError? ReadBool(ref Utf8JsonReader reader, string param, out bool? value)
    {
        value = null;
        var parsed = false;
        var error = JsonRead.ReadBool(ref reader, param, ref parsed);
        if (error is null && reader.TokenType != JsonTokenType.Null)
        {
            value = parsed;
        }

        return error;
    }

    private static SimError? ReadString(ref Utf8JsonReader reader, string param, out string? value)
    {
        value = null;
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            return SimError.InvalidType(param, "a string");
        }

        value = reader.GetString();
        return null;
    }

    private static SimError? ReadEnum(ref Utf8JsonReader reader, string param, string[] allowed, string supported, out string? value)
    {
        var error = ReadString(ref reader, param, out value);
        if (error is null && value is not null && Array.IndexOf(allowed, value) < 0)
        {
            return ResponsesErrors.Unsupported(param, value, supported);
        }

        return error;
    }

    /// <summary>Reads an object (or null) and keeps its raw JSON, sliced from the body, to echo it.</summary>
    private static SimError? ReadRawObject(ref Utf8JsonReader reader, in ReadOnlySequence<byte> body, string param, out byte[]? raw)
    {
        raw = null;
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return SimError.InvalidType(param, "an object");
        }

        var start = reader.TokenStartIndex;
        reader.Skip();
        raw = body.Slice(start, reader.BytesConsumed - start).ToArray();
        return null;
    }
}
