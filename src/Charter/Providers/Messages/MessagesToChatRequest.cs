// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text.Json;
using Charter.Providers.Anthropic;

namespace Charter.Providers.Messages;

/// <summary>Anthropic Messages request body → OpenAI chat completions request body, for a <c>POST /v1/messages</c> served by
/// an account whose upstream speaks chat completions (OpenAI, Azure OpenAI, OpenAI-compatible servers).</summary>
/// <remarks>
/// <para>
/// Mapping: <c>model</c> is replaced by the upstream's model. <c>system</c> (a string, or text blocks) becomes the first,
/// <c>system</c>, message. Messages keep their order; a message's content is a string, or blocks: text blocks become
/// <c>text</c> parts (a single text block a plain string), images <c>image_url</c> parts (a base64 source as a data URL),
/// an assistant's <c>tool_use</c> blocks its <c>tool_calls</c> (the input, compacted, as <c>arguments</c>), and each of a
/// user's <c>tool_result</c> blocks a <c>tool</c> message written before the rest of that user turn, as chat completions
/// wants tool messages right after the assistant's tool calls. A <c>system</c> message inside <c>messages</c> stays a system
/// message where it is. <c>max_tokens</c> (or, for OpenAI and Azure OpenAI, <c>max_completion_tokens</c>), <c>temperature</c>,
/// <c>top_p</c> are copied; <c>stop_sequences</c> →
/// <c>stop</c>; <c>stream</c> is copied, with <c>stream_options.include_usage</c> when true (the usage ends the Anthropic
/// stream); <c>metadata.user_id</c> → <c>user</c>; custom tools → function tools (<c>input_schema</c> → <c>parameters</c>);
/// <c>tool_choice</c> auto/any/tool/none → <c>"auto"</c>/<c>"required"</c>/a named function/<c>"none"</c>, with
/// <c>disable_parallel_tool_use:true</c> → <c>parallel_tool_calls:false</c> (both only with tools, as chat completions
/// rejects them otherwise).
/// </para>
/// <para>
/// Dropped: <c>cache_control</c> anywhere, <c>citations</c>, <c>thinking</c> and <c>redacted_thinking</c> blocks, a tool
/// result's <c>is_error</c> (chat tool messages have no such flag; the result's text is kept), <c>top_k</c>,
/// <c>thinking</c>, <c>service_tier</c>, <c>container</c>, <c>context_management</c>, and any other top-level member.
/// Refused (the member as <c>param</c>): <c>mcp_servers</c>, server tools (a tool whose <c>type</c> is not <c>custom</c>),
/// <c>document</c>, <c>search_result</c>, server tool and any other unknown blocks, images in assistant messages or tool
/// results, image sources other than base64 and url, and members of the wrong JSON type.
/// </para>
/// </remarks>
public static partial class MessagesToChatRequest
{
    /// <summary>Translates a Messages request body into a chat completions body written to <paramref name="output"/>.</summary>
    /// <param name="body">The client's body (UTF-8 JSON), already checked by the gateway for its required members.</param>
    /// <param name="upstreamModel">The model name the upstream knows; replaces <c>model</c>.</param>
    /// <param name="output">Receives the chat completions body; nothing is written when the translation fails.</param>
    /// <param name="refusal">Why the request cannot be translated faithfully (answer 400 <c>invalid_request_error</c>).</param>
    /// <param name="maxCompletionTokens">Send <c>max_tokens</c> as <c>max_completion_tokens</c>: OpenAI's and Azure OpenAI's
    /// reasoning models refuse <c>max_tokens</c>, while many OpenAI-compatible servers know only <c>max_tokens</c>.</param>
    /// <returns>True when the body was written.</returns>
    public static bool TryTranslate(ReadOnlySpan<byte> body, string upstreamModel, IBufferWriter<byte> output, out MessagesTranslationError refusal,
        bool maxCompletionTokens = false)
    {
        ArgumentNullException.ThrowIfNull(upstreamModel);
        ArgumentNullException.ThrowIfNull(output);
        using var chat = new PooledByteWriter(body.Length + 256);
        using var scratch = new PooledByteWriter(256);
        try
        {
            if (!MessagesMembers.TryRead(body, out var f))
            {
                refusal = new("The request body must be a JSON object.", null);
                return false;
            }

            var mcpServers = f.McpServers.Of(body);
            if (f.McpServers.Present && !(AnthropicJson.IsArray(mcpServers) && IsEmptyArray(mcpServers)))
            {
                refusal = new("'mcp_servers' is not supported on this account: the model's upstream cannot reach MCP servers.", "mcp_servers");
                return false;
            }

            using (var w = new Utf8JsonWriter(chat, AnthropicJson.WriterOptions))
            {
                w.WriteStartObject();
                w.WriteString("model"u8, upstreamModel);
                w.WriteStartArray("messages"u8);
                if (!WriteSystem(w, f.System.Of(body), out refusal) || !WriteMessages(w, f.Messages.Of(body), scratch, out refusal))
                {
                    return false;
                }

                w.WriteEndArray();
                if (!WriteOptions(w, body, f, maxCompletionTokens, out refusal) || !WriteTools(w, body, f, scratch, out refusal))
                {
                    return false;
                }

                w.WriteEndObject();
            }

            output.Write(chat.WrittenSpan);
            refusal = default;
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            refusal = new("The request body is not a valid Messages request.", null);
            return false;
        }
    }

    private static bool WriteOptions(Utf8JsonWriter w, ReadOnlySpan<byte> json, in MessagesMembers f, bool maxCompletionTokens, out MessagesTranslationError refusal)
    {
        if (!CopyNumber(w, maxCompletionTokens ? "max_completion_tokens"u8 : "max_tokens"u8, f.MaxTokens.Of(json), "max_tokens", out refusal)
            || !CopyNumber(w, "temperature"u8, f.Temperature.Of(json), "temperature", out refusal)
            || !CopyNumber(w, "top_p"u8, f.TopP.Of(json), "top_p", out refusal)
            || !WriteStop(w, f.StopSequences.Of(json), out refusal))
        {
            return false;
        }

        if (!ChatBodyWriter.TryWriteStream(w, f.Stream.Of(json)))
        {
            refusal = new("'stream' must be a boolean.", "stream");
            return false;
        }

        var metadata = f.Metadata.Of(json);
        if (MessagesMembers.TryRead(metadata, out var m) && AnthropicJson.IsString(m.UserId.Of(metadata)))
        {
            AnthropicJson.WriteString(w, "user"u8, m.UserId.Of(metadata));
        }

        return true;
    }

    private static bool CopyNumber(Utf8JsonWriter w, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, string param, out MessagesTranslationError refusal)
    {
        var copied = ChatBodyWriter.TryCopyNumber(w, name, value);
        refusal = copied ? default : new($"'{param}' must be a number.", param);
        return copied;
    }

    private static bool WriteStop(Utf8JsonWriter w, ReadOnlySpan<byte> stopSequences, out MessagesTranslationError refusal)
    {
        refusal = default;
        if (stopSequences.IsEmpty)
        {
            return true;
        }

        if (!AnthropicJson.IsArray(stopSequences))
        {
            refusal = new("'stop_sequences' must be an array of strings.", "stop_sequences");
            return false;
        }

        if (IsEmptyArray(stopSequences))
        {
            return true;
        }

        w.WriteStartArray("stop"u8);
        var reader = AnthropicJson.ReaderOn(stopSequences);
        var k = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                refusal = new("'stop_sequences' must be an array of strings.", $"stop_sequences[{k}]");
                return false;
            }

            AnthropicJson.WriteStringValue(w, ref reader);
            k++;
        }

        w.WriteEndArray();
        return true;
    }

    private static bool WriteTools(Utf8JsonWriter w, ReadOnlySpan<byte> json, in MessagesMembers f, PooledByteWriter scratch, out MessagesTranslationError refusal)
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
            if (!MessagesMembers.TryRead(tool, out var t))
            {
                refusal = new("Each tool must be an object.", $"tools[{count}]");
                return false;
            }

            if (t.Type.Present && !AnthropicJson.StringEquals(t.Type.Of(tool), "custom"u8))
            {
                refusal = new($"Tools of type '{AnthropicJson.TextOf(t.Type.Of(tool))}' (server tools) are not supported on this account; only custom tools are.", $"tools[{count}].type");
                return false;
            }

            if (!AnthropicJson.IsString(t.Name.Of(tool)))
            {
                refusal = new("A tool needs a 'name' string.", $"tools[{count}].name");
                return false;
            }

            var schema = t.InputSchema.Of(tool);
            if (t.InputSchema.Present && !AnthropicJson.IsObject(schema))
            {
                refusal = new("A tool's 'input_schema' must be an object.", $"tools[{count}].input_schema");
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

            if (t.InputSchema.Present)
            {
                w.WritePropertyName("parameters"u8);
                WriteCompact(w, schema, scratch);
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
        return WriteToolChoice(w, f.ToolChoice.Of(json), out refusal);
    }

    private static bool WriteToolChoice(Utf8JsonWriter w, ReadOnlySpan<byte> choice, out MessagesTranslationError refusal)
    {
        refusal = default;
        if (choice.IsEmpty)
        {
            return true;
        }

        if (!MessagesMembers.TryRead(choice, out var c))
        {
            refusal = new("'tool_choice' must be an object.", "tool_choice");
            return false;
        }

        var type = c.Type.Of(choice);
        if (AnthropicJson.StringEquals(type, "auto"u8))
        {
            w.WriteString("tool_choice"u8, "auto"u8);
        }
        else if (AnthropicJson.StringEquals(type, "any"u8))
        {
            w.WriteString("tool_choice"u8, "required"u8);
        }
        else if (AnthropicJson.StringEquals(type, "none"u8))
        {
            w.WriteString("tool_choice"u8, "none"u8);
        }
        else if (AnthropicJson.StringEquals(type, "tool"u8))
        {
            if (!AnthropicJson.IsString(c.Name.Of(choice)))
            {
                refusal = new("A tool_choice of type 'tool' needs a 'name' string.", "tool_choice.name");
                return false;
            }

            ChatBodyWriter.WriteFunctionChoice(w, c.Name.Of(choice));
        }
        else
        {
            refusal = new("'tool_choice.type' must be auto, any, tool or none.", "tool_choice.type");
            return false;
        }

        var disable = c.DisableParallelToolUse.Of(choice);
        if (c.DisableParallelToolUse.Present && !AnthropicJson.TryGetBoolean(disable, out _))
        {
            refusal = new("'tool_choice.disable_parallel_tool_use' must be a boolean.", "tool_choice.disable_parallel_tool_use");
            return false;
        }

        if (disable.SequenceEqual("true"u8))
        {
            w.WriteBoolean("parallel_tool_calls"u8, false);
        }

        return true;
    }

    // Writes a raw JSON value with the whitespace between its tokens removed (strings are copied as they are, escapes
    // included); the value was read by a Utf8JsonReader already, so it is valid JSON.
    private static void WriteCompact(Utf8JsonWriter w, ReadOnlySpan<byte> value, PooledByteWriter scratch)
    {
        scratch.Clear();
        AppendCompact(value, scratch);
        w.WriteRawValue(scratch.WrittenSpan, skipInputValidation: true);
    }

    private static void AppendCompact(ReadOnlySpan<byte> value, PooledByteWriter sink)
    {
        var target = sink.GetSpan(value.Length);
        var n = 0;
        var inString = false;
        for (var i = 0; i < value.Length; i++)
        {
            var b = value[i];
            if (inString)
            {
                target[n++] = b;
                if (b == (byte)'\\')
                {
                    target[n++] = value[++i];
                }
                else if (b == (byte)'"')
                {
                    inString = false;
                }
            }
            else if (b is not ((byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r'))
            {
                target[n++] = b;
                inString = b == (byte)'"';
            }
        }

        sink.Advance(n);
    }

    private static bool IsEmptyArray(ReadOnlySpan<byte> array)
    {
        var reader = AnthropicJson.ReaderOn(array);
        return reader.Read() && reader.TokenType == JsonTokenType.EndArray;
    }
}
