// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;

namespace Charter.Sim;

public sealed partial class Simulator
{
    /// <summary>Anthropic's <c>POST /v1/messages/count_tokens</c>: the checks and faults of <c>/v1/messages</c>, then <c>{"input_tokens":N}</c>.</summary>
    /// <remarks>
    /// N is the <c>usage.input_tokens</c> <c>/v1/messages</c> reports for the same body (with any <c>max_tokens</c>): the same
    /// parser fills the same <see cref="ChatRequest.PromptTokens"/>. Nothing is generated, so the answer comes at once (no time
    /// to first token) and is never streamed; a drop cuts it half-way, as a whole message's.
    /// </remarks>
    private SimResponse HandleCountTokens(in SimRequest request, in ReadOnlySequence<byte> body, SimConfig config, string requestId, ulong sequence)
    {
        if (AnthropicRefusal(request, config, requestId, sequence, out var faults) is { } refusal)
        {
            return refusal;
        }

        var parsed = new MessagesRequest();
        var error = MessagesRequest.Parse(body, parsed, countTokens: true);
        if (error is not null)
        {
            return AnthropicError(error, requestId);
        }

        var output = new PooledBufferWriter(64);
        var w = RentWriter(output);
        w.WriteStartObject();
        w.WriteNumber("input_tokens"u8, parsed.Chat.PromptTokens);
        w.WriteEndObject();
        w.Flush();
        return new SimResponse { Body = output, RequestId = requestId, RequestIdHeader = AnthropicRequestIdHeader, Drop = faults.Drop };
    }
}
