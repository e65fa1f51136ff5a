// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using Charter.Providers.Anthropic;
using Charter.Streaming;

namespace Charter.Providers.Responses;

/// <summary>The stages of one Anthropic stream served as a Responses stream (<see cref="AnthropicResponsesSseTransform"/>).</summary>
/// <param name="anthropic">Anthropic's events to chat chunks (asked to write the usage chunk).</param>
/// <param name="responses">Chat chunks to Responses events.</param>
/// <param name="observed">Reads the Responses events on their way to the client.</param>
public sealed class AnthropicResponsesStages(AnthropicStreamTranslator anthropic, ChatToResponsesStream responses, ResponsesStreamState observed) : IDisposable
{
    /// <summary>Anthropic's events to chat chunks.</summary>
    public AnthropicStreamTranslator Anthropic { get; } = anthropic;

    /// <summary>Chat chunks to Responses events.</summary>
    public ChatToResponsesStream Responses { get; } = responses;

    /// <summary>Reads the Responses events on their way to the client.</summary>
    public ResponsesStreamState Observed { get; } = observed;

    /// <summary>Chat chunks not yet turned into events.</summary>
    public ArrayBufferWriter<byte> Chunks { get; } = new(1024);

    /// <summary>Events not yet passed to the client.</summary>
    public ArrayBufferWriter<byte> Events { get; } = new(2048);

    /// <inheritdoc/>
    public void Dispose() => Responses.Dispose();
}
