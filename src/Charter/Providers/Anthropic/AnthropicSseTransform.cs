// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using Charter.Streaming;

namespace Charter.Providers.Anthropic;

/// <summary>Anthropic's named stream events translated into OpenAI chunks as they arrive (<see cref="SseRelay"/>).</summary>
/// <param name="translator">The stream's translator (it holds the stream's state: the message id, tool block numbers).</param>
public readonly struct AnthropicSseTransform(AnthropicStreamTranslator translator) : ISseTransform
{
    /// <inheritdoc/>
    public int ProcessEvents(ReadOnlySpan<byte> data, IBufferWriter<byte> client, ref StreamOutcome outcome) =>
        translator.ProcessEvents(data, client, ref outcome);

    /// <inheritdoc/>
    public void ProcessTail(ReadOnlySpan<byte> tail, IBufferWriter<byte> client, ref StreamOutcome outcome)
    {
        // An event cut off by the end of the stream is not a whole Anthropic event: nothing of it is relayed, and the
        // missing message_stop leaves the outcome an upstream error.
    }

    /// <inheritdoc/>
    public void WriteFailure(IBufferWriter<byte> client) => client.Write(SseRelay.ChatMidStreamError); // the client reads OpenAI chunks
}
