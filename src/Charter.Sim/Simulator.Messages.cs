// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;

namespace Charter.Sim;

public sealed partial class Simulator
{
    private const string AnthropicRequestIdHeader = "request-id";

    /// <summary>Anthropic's <c>POST /v1/messages</c>: checks, faults (in Anthropic's error shape), then the answer.</summary>
    /// <remarks>
    /// Same fault draws as the OpenAI path. The text is the OpenAI path's for the same model and conversation
    /// (<c>system</c> counting as a first system message); <c>max_tokens</c> and <c>stop_sequences</c> cut it.
    /// </remarks>
    private SimResponse HandleMessages(in SimRequest request, in ReadOnlySequence<byte> body, SimConfig config, string requestId, ulong sequence)
    {
        if (AnthropicRefusal(request, config, requestId, sequence, out var faults) is { } refusal)
        {
            return refusal;
        }

        var options = config.Options;
        var (drop, streamError) = (faults.Drop, faults.StreamError);

        var parsed = new MessagesRequest();
        var error = MessagesRequest.Parse(body, parsed);
        if (error is not null)
        {
            return AnthropicError(error, requestId);
        }

        var chat = parsed.Chat;
        var message = Compose(parsed, Plan(chat, chat.Model!, config)[0], MessageId(sequence, config.Seed), requestId);
        if (chat.Stream)
        {
            return new SimResponse
            {
                RequestId = requestId,
                RequestIdHeader = AnthropicRequestIdHeader,
                Stream = new AnthropicStream(message, _time, config.TimeToFirstToken, options.TokensPerSecond, drop, streamError),
            };
        }

        var delay = config.WholeAnswerDelay(message.Steps);

        var output = new PooledBufferWriter(2048);
        var w = RentWriter(output);
        AnthropicWriter.WriteMessage(w, message);
        w.Flush();
        return new SimResponse { Body = output, RequestId = requestId, RequestIdHeader = AnthropicRequestIdHeader, Delay = delay, Drop = drop };
    }

    /// <summary>
    /// The answer that comes before the body is read on every Anthropic route, or null: the headers (400 without
    /// <c>anthropic-version</c>, 401 without <c>x-api-key</c>), then the suspended account (403) and the drawn faults (500, 429, 529);
    /// <paramref name="faults"/> receives the draw, whose drop and stream error are left to the caller.
    /// </summary>
    private static SimResponse? AnthropicRefusal(in SimRequest request, SimConfig config, string requestId, ulong sequence, out SimFaultDraw faults)
    {
        faults = default;
        if (string.IsNullOrEmpty(request.ApiVersion))
        {
            return AnthropicError(AnthropicErrors.MissingVersion, requestId);
        }

        if (!request.HasCredential)
        {
            return AnthropicError(AnthropicErrors.MissingKey, requestId);
        }

        var options = config.Options;
        if (options.SuspendedAccount)
        {
            return AnthropicError(AnthropicErrors.Suspended, requestId);
        }

        faults = SimFaultDraw.For(options, config.Seed, sequence);
        return faults.Answer switch
        {
            SimFault.ServerError => AnthropicError(AnthropicErrors.ServerError, requestId),
            SimFault.RateLimited => AnthropicError(AnthropicErrors.RateLimited(options.RetryAfterSeconds), requestId, options.RetryAfterSeconds),
            SimFault.Overloaded => AnthropicError(AnthropicErrors.Overloaded, requestId, options.RetryAfterSeconds),
            _ => null,
        };
    }

    private static AnthropicMessage Compose(MessagesRequest request, ChoicePlan plan, string id, string requestId)
    {
        var model = request.Chat.Model!;
        var inputTokens = request.Chat.PromptTokens;
        if (request.ForcedTool is { } tool)
        {
            var word = Encoding.ASCII.GetString(SimText.Lower[SimText.WordIndex(plan.Hash, 0)].AsSpan(1));
            var input = Encoding.UTF8.GetBytes("{\"query\":\"" + word + "\"}");
            return new AnthropicMessage
            {
                Id = id,
                RequestId = requestId,
                Model = model,
                Plan = plan,
                InputTokens = inputTokens,
                OutputTokens = 3 + ((Encoding.UTF8.GetByteCount(tool) + input.Length + 3) / 4),
                StopReason = "tool_use",
                ToolName = tool,
                ToolId = ToolUseId(plan.Hash),
                ToolInput = input,
            };
        }

        if (request.StopSequences is { } stops && FindStop(plan, stops) is { } stop)
        {
            return new AnthropicMessage
            {
                Id = id,
                RequestId = requestId,
                Model = model,
                Plan = plan,
                InputTokens = inputTokens,
                OutputTokens = stop.OutputTokens,
                StopReason = "stop_sequence",
                StopSequence = stop.Sequence,
                TextLength = stop.Start,
                TextTokens = stop.TextTokens,
            };
        }

        return new AnthropicMessage
        {
            Id = id,
            RequestId = requestId,
            Model = model,
            Plan = plan,
            InputTokens = inputTokens,
            OutputTokens = plan.Count,
            StopReason = plan.Truncated ? "max_tokens" : "end_turn",
            TextTokens = plan.Count,
        };
    }

    /// <summary>
    /// The stop sequence generation meets first (the one whose end comes first in the text): the text is cut before it,
    /// text tokens are those starting before the cut, output tokens those generated until the sequence was complete.
    /// </summary>
    private static (string Sequence, int Start, int TextTokens, int OutputTokens)? FindStop(in ChoicePlan plan, List<string> stops)
    {
        var rented = ArrayPool<byte>.Shared.Rent(Math.Max(16, SimText.MaxBytes(plan)));
        try
        {
            var text = rented.AsSpan(0, SimText.Write(plan, rented));
            string? best = null;
            var bestStart = 0;
            var bestEnd = int.MaxValue;
            foreach (var stop in stops)
            {
                var bytes = Encoding.UTF8.GetBytes(stop);
                var at = text.IndexOf(bytes);
                if (at >= 0 && at + bytes.Length < bestEnd)
                {
                    best = stop;
                    bestStart = at;
                    bestEnd = at + bytes.Length;
                }
            }

            if (best is null)
            {
                return null;
            }

            var offset = 0;
            var textTokens = 0;
            for (var i = 0; i < plan.Count; i++)
            {
                if (offset < bestStart)
                {
                    textTokens = i + 1;
                }

                offset += SimText.Token(plan, i).Length;
                if (offset >= bestEnd)
                {
                    return (best, bestStart, textTokens, i + 1);
                }
            }

            return (best, bestStart, textTokens, plan.Count);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static SimResponse AnthropicError(SimError error, string requestId, int retryAfter = -1)
    {
        var body = new PooledBufferWriter(512);
        var w = RentWriter(body);
        AnthropicWriter.WriteError(w, error, requestId);
        w.Flush();
        return new SimResponse { StatusCode = error.Status, Body = body, RequestId = requestId, RequestIdHeader = AnthropicRequestIdHeader, RetryAfterSeconds = retryAfter };
    }

    private static string MessageId(ulong sequence, ulong seed) =>
        string.Create(23, SimHash.Mix(sequence + seed), static (span, value) =>
        {
            "msg_sim".CopyTo(span);
            value.TryFormat(span[7..], out _, "x16");
        });

    /// <summary>Deterministic per conversation, model and seed (the plan's hash).</summary>
    private static string ToolUseId(ulong hash) =>
        string.Create(25, SimHash.Mix(hash ^ 0x746F6F6C755F6964UL), static (span, value) =>
        {
            "toolu_sim".CopyTo(span);
            value.TryFormat(span[9..], out _, "x16");
        });
}
