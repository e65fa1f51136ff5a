// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;

namespace Charter.Sim;

public sealed partial class Simulator
{
    /// <summary>OpenAI's <c>POST /v1/responses</c> (and Azure's <c>/openai/v1/responses</c>), after the checks and faults shared with chat.</summary>
    /// <remarks>
    /// The text is the chat route's for the equivalent conversation (see <see cref="ResponsesRequest"/>), so
    /// <c>input_tokens</c> equals chat's <c>prompt_tokens</c>; <c>max_output_tokens</c> cuts it (status <c>incomplete</c>). With
    /// function tools and tool_choice <c>required</c> (first tool) or <c>{"type":"function","name"}</c> the answer is one
    /// <c>function_call</c> item, deterministic per conversation, as on the Anthropic route. Unless <c>store</c> is false the answer
    /// is kept (see <see cref="ResponsesStore"/>) once complete: at once for a whole answer that is not dropped, at the end of a stream
    /// that ran to its final event. A <c>previous_response_id</c> must name a stored response (it does not change the text).
    /// </remarks>
    private SimResponse Responses(in ReadOnlySequence<byte> body, SimConfig config, string requestId, ulong sequence, bool drop, bool streamError)
    {
        var parsed = new ResponsesRequest();
        var error = ResponsesRequest.Parse(body, parsed);
        if (error is not null)
        {
            return Error(error, requestId);
        }

        if (parsed.PreviousResponseId is { } previous && _stored.Get(previous) is null)
        {
            return Error(ResponsesErrors.PreviousResponseNotFound(previous), requestId);
        }

        // The input is kept raw (for input_items) only when the response is stored.
        var input = parsed.Store != false ? body.Slice(parsed.InputStart, parsed.InputEnd - parsed.InputStart).ToArray() : null;
        var chat = parsed.Chat;
        var plan = Plan(chat, chat.Model!, config)[0];
        // Ids are unique across simulators as a provider's are (two accounts of one route must not hand out the same id);
        // the text stays deterministic.
        var answer = ComposeResponse(parsed, plan, sequence, config.Seed ^ _idSalt, _time.GetUtcNow().ToUnixTimeSeconds());
        if (chat.Stream)
        {
            return new SimResponse
            {
                RequestId = requestId,
                Stream = new ResponsesStream(answer, _time, config.TimeToFirstToken, config.Options.TokensPerSecond, drop, streamError)
                {
                    Store = input is null ? null : _stored,
                    Input = input,
                },
            };
        }

        var delay = config.WholeAnswerDelay(answer.Steps);

        answer.CompletedAt = answer.CreatedAt + (long)delay.TotalSeconds;
        var response = Json(requestId, static (w, a) => ResponsesWriter.WriteResponse(w, a, final: true), answer, delay, drop);
        if (input is not null && !drop)
        {
            _stored.Add(new StoredResponse(answer.Id, response.Body!.WrittenSpan.ToArray(), input));
        }

        return response;
    }

    private static ResponsesAnswer ComposeResponse(ResponsesRequest request, in ChoicePlan plan, ulong sequence, ulong seed, long createdAt)
    {
        var model = request.Chat.Model!;
        var id = ResponseId("resp_sim", sequence, seed);
        if (request.ForcedTool is { } tool)
        {
            var word = Encoding.ASCII.GetString(SimText.Lower[SimText.WordIndex(plan.Hash, 0)].AsSpan(1));
            var arguments = Encoding.UTF8.GetBytes("{\"query\":\"" + word + "\"}");
            return new ResponsesAnswer
            {
                Id = id,
                ItemId = ResponseId("fc_sim", sequence, seed),
                CreatedAt = createdAt,
                Model = model,
                Plan = plan,
                Request = request,
                InputTokens = request.Chat.PromptTokens,
                OutputTokens = 3 + ((Encoding.UTF8.GetByteCount(tool) + arguments.Length + 3) / 4),
                ToolName = tool,
                CallId = ResponseId("call_sim", plan.Hash, 0x63616C6C5F696400UL),
                ToolArguments = arguments,
            };
        }

        return new ResponsesAnswer
        {
            Id = id,
            ItemId = ResponseId("msg_sim", sequence, seed),
            CreatedAt = createdAt,
            Model = model,
            Plan = plan,
            Request = request,
            InputTokens = request.Chat.PromptTokens,
            OutputTokens = plan.Count,
        };
    }

    /// <summary><paramref name="prefix"/> and 16 hex digits of a hash of (<paramref name="value"/>, <paramref name="salt"/>, prefix).</summary>
    private static string ResponseId(string prefix, ulong value, ulong salt) =>
        string.Create(prefix.Length + 16, (prefix, SimHash.Combine(value + salt, SimHash.OfString(prefix))), static (span, state) =>
        {
            state.prefix.CopyTo(span);
            state.Item2.TryFormat(span[state.prefix.Length..], out _, "x16");
        });
}
