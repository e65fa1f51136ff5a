// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;

namespace Charter.Sim;

/// <summary>Reading <c>input</c>: a string (one user message) or items (messages, function calls and their outputs).</summary>
internal sealed partial class ResponsesRequest
{
    private const string InputParts = "'input_text', 'input_image', 'input_file'";
    private const string OutputParts = "'output_text', 'refusal'";

    private enum ItemKind
    {
        /// <summary>No <c>type</c>: an easy input message.</summary>
        Unset,
        Message,
        FunctionCall,
        FunctionCallOutput,
    }

    /// <summary>Which members an item had (the type may come last, so the checks wait for the end of the item).</summary>
    [Flags]
    private enum ItemMembers
    {
        None = 0,
        Content = 1,
        Output = 2,
        CallId = 4,
        Name = 8,
        Arguments = 16,
    }

    private static SimError? ParseInput(ref Utf8JsonReader reader, PooledBufferWriter text, List<(int Role, int Length)> messages, out long valueStart)
    {
        reader.Read();
        valueStart = reader.TokenStartIndex;
        if (reader.TokenType == JsonTokenType.String)
        {
            var start = text.WrittenCount;
            JsonRead.AppendString(ref reader, text);
            messages.Add((RoleUser, text.WrittenCount - start));
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return SimError.InvalidType("input", "a string or an array of input items");
        }

        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return SimError.InvalidType($"input[{index}]", "an object");
            }

            var error = ReadItem(ref reader, text, messages, index);
            if (error is not null)
            {
                return error;
            }

            index++;
        }

        return null;
    }

    /// <summary>Reads one item; a message's text (or a function call output) is appended to <paramref name="text"/>.</summary>
    private static SimError? ReadItem(ref Utf8JsonReader reader, PooledBufferWriter text, List<(int Role, int Length)> messages, int index)
    {
        var kind = ItemKind.Unset;
        var role = 0;
        var members = ItemMembers.None;
        var start = text.WrittenCount;
        var parts = new PartKinds();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            SimError? error = null;
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return SimError.InvalidType($"input[{index}].type", "a string");
                }

                kind = reader.ValueTextEquals("message"u8) ? ItemKind.Message
                    : reader.ValueTextEquals("function_call"u8) ? ItemKind.FunctionCall
                    : reader.ValueTextEquals("function_call_output"u8) ? ItemKind.FunctionCallOutput
                    : ItemKind.Unset;
                if (kind == ItemKind.Unset)
                {
                    return ResponsesErrors.Unsupported($"input[{index}].type", reader.GetString(), "'message', 'function_call', 'function_call_output' (simulated provider)");
                }
            }
            else if (reader.ValueTextEquals("role"u8))
            {
                reader.Read();
                role = reader.TokenType != JsonTokenType.String ? -1
                    : reader.ValueTextEquals("user"u8) ? RoleUser
                    : reader.ValueTextEquals("assistant"u8) ? RoleAssistant
                    : reader.ValueTextEquals("system"u8) ? RoleSystem
                    : reader.ValueTextEquals("developer"u8) ? RoleDeveloper
                    : -1;
                if (role < 0)
                {
                    return reader.TokenType == JsonTokenType.String
                        ? ResponsesErrors.Unsupported($"input[{index}].role", reader.GetString(), "'user', 'assistant', 'system', 'developer'")
                        : SimError.InvalidType($"input[{index}].role", "a string");
                }
            }
            else if (reader.ValueTextEquals("content"u8))
            {
                members |= ItemMembers.Content;
                reader.Read();
                error = ReadContent(ref reader, text, index, output: false, ref parts);
            }
            else if (reader.ValueTextEquals("output"u8))
            {
                members |= ItemMembers.Output;
                reader.Read();
                var outputParts = new PartKinds();
                error = ReadContent(ref reader, text, index, output: true, ref outputParts);
                if (error is null && outputParts.FirstOutput >= 0)
                {
                    return ResponsesErrors.Unsupported($"input[{index}].output[{outputParts.FirstOutput}].type", outputParts.FirstOutputType, InputParts);
                }
            }
            else if (reader.ValueTextEquals("call_id"u8))
            {
                members |= ItemMembers.CallId;
                error = RequireString(ref reader, index, "call_id");
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                members |= ItemMembers.Name;
                error = RequireString(ref reader, index, "name");
            }
            else if (reader.ValueTextEquals("arguments"u8))
            {
                members |= ItemMembers.Arguments;
                error = RequireString(ref reader, index, "arguments");
            }
            else if (reader.ValueTextEquals("id"u8) || reader.ValueTextEquals("status"u8))
            {
                reader.Read();
                reader.Skip();
            }
            else
            {
                return ResponsesErrors.UnknownParameter($"input[{index}].{reader.GetString()}");
            }

            if (error is not null)
            {
                return error;
            }
        }

        var length = text.WrittenCount - start;
        switch (kind)
        {
            case ItemKind.FunctionCall:
                if (Stray(members, ItemMembers.Content | ItemMembers.Output, index) is { } strayCall)
                {
                    return strayCall;
                }

                if (Absent(members, index, (ItemMembers.CallId, "call_id"), (ItemMembers.Name, "name"), (ItemMembers.Arguments, "arguments")) is { } missingCall)
                {
                    return missingCall;
                }

                // Like the chat request a gateway makes of it: one assistant message holding the tool calls (and no text of its own).
                if (messages.Count == 0 || messages[^1].Role != RoleAssistant)
                {
                    messages.Add((RoleAssistant, 0));
                }

                return null;
            case ItemKind.FunctionCallOutput:
                if (Stray(members, ItemMembers.Content | ItemMembers.Name | ItemMembers.Arguments, index) is { } strayOutput)
                {
                    return strayOutput;
                }

                if (Absent(members, index, (ItemMembers.CallId, "call_id"), (ItemMembers.Output, "output")) is { } missingOutput)
                {
                    return missingOutput;
                }

                messages.Add((RoleTool, length));
                return null;
        }

        if (Stray(members, ItemMembers.Output | ItemMembers.CallId | ItemMembers.Name | ItemMembers.Arguments, index) is { } strayMessage)
        {
            return strayMessage;
        }

        if (role == 0)
        {
            return SimError.Missing($"input[{index}].role");
        }

        if ((members & ItemMembers.Content) == 0)
        {
            return SimError.Missing($"input[{index}].content");
        }

        // The API keeps input parts for what the model is given and output parts for what it said.
        if (role == RoleAssistant && parts.FirstInput >= 0)
        {
            return ResponsesErrors.Unsupported($"input[{index}].content[{parts.FirstInput}].type", parts.FirstInputType, OutputParts);
        }

        if (role != RoleAssistant && parts.FirstOutput >= 0)
        {
            return ResponsesErrors.Unsupported($"input[{index}].content[{parts.FirstOutput}].type", parts.FirstOutputType, InputParts);
        }

        messages.Add((role, length));
        return null;
    }

    /// <summary>A message's <c>content</c> or a function call's <c>output</c>: a string, or parts whose text is appended.</summary>
    /// <remarks>The parameter name (<c>input[i].content</c>) is only built for an error: a valid request allocates no strings here.</remarks>
    private static SimError? ReadContent(ref Utf8JsonReader reader, PooledBufferWriter text, int item, bool output, ref PartKinds kinds)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            JsonRead.AppendString(ref reader, text);
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return SimError.InvalidType(ContentParam(item, output), "a string or an array of content parts");
        }

        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return SimError.InvalidType($"{ContentParam(item, output)}[{index}]", "an object");
            }

            var error = ReadPart(ref reader, text, item, output, index, ref kinds);
            if (error is not null)
            {
                return error;
            }

            index++;
        }

        return null;
    }

    private static SimError? ReadPart(ref Utf8JsonReader reader, PooledBufferWriter text, int item, bool output, int index, ref PartKinds kinds)
    {
        string? type = null;
        var hasText = false;
        var hasRefusal = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return SimError.InvalidType($"{ContentParam(item, output)}[{index}].type", "a string");
                }

                type = reader.ValueTextEquals("input_text"u8) ? "input_text"
                    : reader.ValueTextEquals("output_text"u8) ? "output_text"
                    : reader.ValueTextEquals("input_image"u8) ? "input_image"
                    : reader.ValueTextEquals("input_file"u8) ? "input_file"
                    : reader.ValueTextEquals("refusal"u8) ? "refusal"
                    : null;
                if (type is null)
                {
                    return ResponsesErrors.Unsupported($"{ContentParam(item, output)}[{index}].type", reader.GetString(), InputParts + ", " + OutputParts);
                }
            }
            else if (reader.ValueTextEquals("text"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return SimError.InvalidType($"{ContentParam(item, output)}[{index}].text", "a string");
                }

                JsonRead.AppendString(ref reader, text);
                hasText = true;
            }
            else
            {
                hasRefusal |= reader.ValueTextEquals("refusal"u8);
                reader.Read();
                reader.Skip();
            }
        }

        if (type is null)
        {
            return SimError.Missing($"{ContentParam(item, output)}[{index}].type");
        }

        if (type is "input_text" or "output_text" && !hasText)
        {
            return SimError.Missing($"{ContentParam(item, output)}[{index}].text");
        }

        if (type == "refusal" && !hasRefusal)
        {
            return SimError.Missing($"{ContentParam(item, output)}[{index}].refusal");
        }

        kinds.Note(index, type);
        return null;
    }

    private static string ContentParam(int item, bool output) => output ? $"input[{item}].output" : $"input[{item}].content";

    private static SimError? RequireString(ref Utf8JsonReader reader, int item, string member)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.String ? null : SimError.InvalidType($"input[{item}].{member}", "a string");
    }

    /// <summary>A member that does not belong to this kind of item, as the API reports it.</summary>
    private static SimError? Stray(ItemMembers members, ItemMembers notAllowed, int index)
    {
        var stray = members & notAllowed;
        if (stray == ItemMembers.None)
        {
            return null;
        }

        var name = (stray & ~(stray - 1)) switch
        {
            ItemMembers.Content => "content",
            ItemMembers.Output => "output",
            ItemMembers.CallId => "call_id",
            ItemMembers.Name => "name",
            _ => "arguments",
        };
        return ResponsesErrors.UnknownParameter($"input[{index}].{name}");
    }

    private static SimError? Absent(ItemMembers members, int index, params ReadOnlySpan<(ItemMembers Flag, string Name)> required)
    {
        foreach (var (flag, name) in required)
        {
            if ((members & flag) == 0)
            {
                return SimError.Missing($"input[{index}].{name}");
            }
        }

        return null;
    }

    /// <summary>The first input part (<c>input_*</c>) and the first output part (<c>output_text</c>, <c>refusal</c>) of a content list.</summary>
    private struct PartKinds
    {
        public PartKinds()
        {
        }

        public int FirstInput { get; private set; } = -1;

        public string? FirstInputType { get; private set; }

        public int FirstOutput { get; private set; } = -1;

        public string? FirstOutputType { get; private set; }

        public void Note(int index, string type)
        {
            if (type is "output_text" or "refusal")
            {
                if (FirstOutput < 0)
                {
                    FirstOutput = index;
                    FirstOutputType = type;
                }
            }
            else if (FirstInput < 0)
            {
                FirstInput = index;
                FirstInputType = type;
            }
        }
    }
}
