// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text.Json;

namespace Charter.Sim;

/// <summary>Reading <c>tools</c> (function tools only) and <c>tool_choice</c>.</summary>
internal sealed partial class ResponsesRequest
{
    private static SimError? ParseTools(ref Utf8JsonReader reader, in ReadOnlySequence<byte> body, ResponsesRequest request)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return SimError.InvalidType("tools", "an array");
        }

        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return SimError.InvalidType($"tools[{index}]", "an object");
            }

            var error = ReadTool(ref reader, body, index, out var tool);
            if (error is not null)
            {
                return error;
            }

            (request.Tools ??= []).Add(tool);
            index++;
        }

        return null;
    }

    private static SimError? ReadTool(ref Utf8JsonReader reader, in ReadOnlySequence<byte> body, int index, out ResponsesTool tool)
    {
        tool = default;
        var sawType = false;
        string? name = null;
        string? description = null;
        byte[]? parameters = null;
        bool? strict = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return SimError.InvalidType($"tools[{index}].type", "a string");
                }

                if (!reader.ValueTextEquals("function"u8))
                {
                    return ResponsesErrors.Unsupported($"tools[{index}].type", reader.GetString(), "'function' (simulated provider)");
                }

                sawType = true;
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return SimError.InvalidType($"tools[{index}].name", "a string");
                }

                name = reader.GetString();
            }
            else if (reader.ValueTextEquals("description"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    description = reader.GetString();
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    return SimError.InvalidType($"tools[{index}].description", "a string");
                }
            }
            else if (reader.ValueTextEquals("parameters"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    var start = reader.TokenStartIndex;
                    reader.Skip();
                    parameters = body.Slice(start, reader.BytesConsumed - start).ToArray();
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    return SimError.InvalidType($"tools[{index}].parameters", "an object");
                }
            }
            else if (reader.ValueTextEquals("strict"u8))
            {
                reader.Read();
                if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null))
                {
                    return SimError.InvalidType($"tools[{index}].strict", "a boolean");
                }

                strict = reader.TokenType == JsonTokenType.Null ? null : reader.TokenType == JsonTokenType.True;
            }
            else
            {
                return ResponsesErrors.UnknownParameter($"tools[{index}].{reader.GetString()}");
            }
        }

        if (!sawType)
        {
            return SimError.Missing($"tools[{index}].type");
        }

        if (string.IsNullOrEmpty(name))
        {
            return SimError.Missing($"tools[{index}].name");
        }

        tool = new ResponsesTool(name, description, parameters, strict);
        return null;
    }

    private static SimError? ParseToolChoice(ref Utf8JsonReader reader, ResponsesRequest request)
    {
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                request.ToolChoice = reader.ValueTextEquals("none"u8) ? "none"
                    : reader.ValueTextEquals("auto"u8) ? "auto"
                    : reader.ValueTextEquals("required"u8) ? "required"
                    : null;
                return request.ToolChoice is null ? ResponsesErrors.Unsupported("tool_choice", reader.GetString(), "'none', 'auto', 'required'") : null;
            case JsonTokenType.StartObject:
                break;
            default:
                return SimError.InvalidType("tool_choice", "a string or an object");
        }

        var sawType = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals("function"u8))
                {
                    return reader.TokenType == JsonTokenType.String
                        ? ResponsesErrors.Unsupported("tool_choice.type", reader.GetString(), "'function' (simulated provider)")
                        : SimError.InvalidType("tool_choice.type", "a string");
                }

                sawType = true;
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return SimError.InvalidType("tool_choice.name", "a string");
                }

                request.ToolChoiceName = reader.GetString();
            }
            else
            {
                return ResponsesErrors.UnknownParameter("tool_choice." + reader.GetString());
            }
        }

        if (!sawType)
        {
            return SimError.Missing("tool_choice.type");
        }

        if (request.ToolChoiceName is null)
        {
            return SimError.Missing("tool_choice.name");
        }

        request.ToolChoice = "function";
        return null;
    }
}
