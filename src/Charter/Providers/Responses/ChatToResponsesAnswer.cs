// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text.Json;
using Charter.Providers.Anthropic;

namespace Charter.Providers.Responses;

/// <summary>A <c>chat.completion</c> answer → a Responses API <c>Response</c> (object <c>response</c>), shaped like the
/// simulator's whole answer.</summary>
/// <remarks>
/// <para>
/// The first choice's <c>message.content</c> becomes one assistant <c>message</c> item (<c>msg_</c> + the response id's suffix)
/// with one <c>output_text</c> part (its log-probabilities copied from <c>logprobs.content</c>) and, for a <c>refusal</c>, a
/// refusal part; it is left out when there is neither text nor refusal. Each <c>tool_calls[k]</c> becomes a
/// <c>function_call</c> item (<c>fc_</c> + suffix + <c>_k</c>) with the call's id as <c>call_id</c>.
/// </para>
/// <para>
/// <c>finish_reason</c> <c>length</c> gives status <c>incomplete</c> with reason <c>max_output_tokens</c>, <c>content_filter</c>
/// reason <c>content_filter</c>; anything else <c>completed</c>. <c>usage</c> maps prompt/completion/total tokens and the
/// cached and reasoning details. The request members the spec's <c>Response</c> requires are echoed from
/// <see cref="ResponsesEcho"/>.
/// </para>
/// </remarks>
public static class ChatToResponsesAnswer
{
    /// <summary>Translates a chat completion into a Responses <c>Response</c> written to <paramref name="output"/>.</summary>
    /// <param name="chatCompletion">The chat completion body (UTF-8 JSON).</param>
    /// <param name="echo">The response id, times and echoed request members.</param>
    /// <param name="output">Receives the response; nothing is written when the translation fails.</param>
    /// <returns>False when the body is not a chat completion with a choice.</returns>
    public static bool TryTranslate(ReadOnlySpan<byte> chatCompletion, in ResponsesEcho echo, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var body = new PooledByteWriter(chatCompletion.Length + 1024);
        using var text = new PooledByteWriter(256);
        using var refusal = new PooledByteWriter(16);
        using var model = new PooledByteWriter(64);
        using var scratch = new PooledByteWriter(256);
        try
        {
            var choices = ResponsesJson.Member(chatCompletion, "choices"u8).Of(chatCompletion);
            if (!AnthropicJson.IsArray(choices))
            {
                return false;
            }

            var choiceReader = AnthropicJson.ReaderOn(choices);
            if (!choiceReader.Read() || choiceReader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            var choice = AnthropicJson.ValueSlice(ref choiceReader).Of(choices);
            var message = ResponsesJson.Member(choice, "message"u8).Of(choice);
            var content = ResponsesJson.Member(message, "content"u8).Of(message);
            if (AnthropicJson.IsString(content))
            {
                AnthropicJson.AppendUnescaped(content, text);
            }

            var refusalText = ResponsesJson.Member(message, "refusal"u8).Of(message);
            if (AnthropicJson.IsString(refusalText))
            {
                AnthropicJson.AppendUnescaped(refusalText, refusal);
            }

            var modelText = ResponsesJson.Member(chatCompletion, "model"u8).Of(chatCompletion);
            if (AnthropicJson.IsString(modelText))
            {
                AnthropicJson.AppendUnescaped(modelText, model);
            }

            var logprobs = ResponsesJson.Member(choice, "logprobs"u8).Of(choice);
            var logprobContent = ResponsesJson.Member(logprobs, "content"u8).Of(logprobs);
            var status = ResponsesJson.StatusOf(ResponsesJson.Member(choice, "finish_reason"u8).Of(choice), out var reason);
            ChatUsage? usage = ChatUsage.TryRead(ResponsesJson.Member(chatCompletion, "usage"u8).Of(chatCompletion), out var u) ? u : null;
            var suffix = ResponsesJson.ItemSuffix(echo.ResponseId ?? "resp_");
            var itemStatus = status == ResponseStatus.Incomplete ? "incomplete"u8 : "completed"u8;

            using (var w = new Utf8JsonWriter(body, AnthropicJson.WriterOptions))
            {
                ResponsesJson.WriteResponseHead(w, echo, model.WrittenSpan, status, reason);
                if (text.WrittenCount > 0 || refusal.WrittenCount > 0)
                {
                    ResponsesJson.WriteMessageItem(w, System.Text.Encoding.UTF8.GetBytes("msg_" + suffix), itemStatus, done: true, text.WrittenSpan, refusal.WrittenSpan, logprobContent);
                }

                var toolCalls = ResponsesJson.Member(message, "tool_calls"u8).Of(message);
                if (AnthropicJson.IsArray(toolCalls))
                {
                    var reader = AnthropicJson.ReaderOn(toolCalls);
                    var k = 0;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        var call = AnthropicJson.ValueSlice(ref reader).Of(toolCalls);
                        var function = ResponsesJson.Member(call, "function"u8).Of(call);
                        scratch.Clear();
                        var idEnd = Append(scratch, ResponsesJson.Member(call, "id"u8).Of(call));
                        var nameEnd = Append(scratch, ResponsesJson.Member(function, "name"u8).Of(function));
                        var argsEnd = Append(scratch, ResponsesJson.Member(function, "arguments"u8).Of(function));
                        var all = scratch.WrittenSpan;
                        ResponsesJson.WriteFunctionCallItem(
                            w,
                            System.Text.Encoding.UTF8.GetBytes("fc_" + suffix + "_" + k.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                            "completed"u8,
                            all[nameEnd..argsEnd],
                            all[..idEnd],
                            all[idEnd..nameEnd]);
                        k++;
                    }
                }

                ResponsesJson.WriteResponseTail(w, echo, usage);
            }

            output.Write(body.WrittenSpan);
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            return false;
        }
    }

    // Appends the unescaped string (nothing for a non-string) and returns the new end offset.
    private static int Append(PooledByteWriter sink, ReadOnlySpan<byte> value)
    {
        if (AnthropicJson.IsString(value))
        {
            AnthropicJson.AppendUnescaped(value, sink);
        }

        return sink.WrittenCount;
    }
}
