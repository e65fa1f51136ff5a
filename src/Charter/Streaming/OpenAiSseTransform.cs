// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;

namespace Charter.Streaming;

/// <summary>OpenAI chunks (Chat Completions, or legacy completions) passed through as they came, less the usage chunk
/// Charter asked for itself.</summary>
/// <param name="stripUsage">Remove the usage chunk and <c>usage:null</c> fields (Charter added include_usage).</param>
/// <param name="completionText">Receives the raw content bytes, for a tokenizer estimate when usage is missing; may be null.</param>
/// <param name="legacyText">The chunks are legacy completions: a choice's output is its <c>text</c>, not a delta's <c>content</c>.</param>
public readonly struct OpenAiSseTransform(bool stripUsage, ArrayBufferWriter<byte>? completionText, bool legacyText = false) : ISseTransform
{
    /// <inheritdoc/>
    public int ProcessEvents(ReadOnlySpan<byte> data, IBufferWriter<byte> client, ref StreamOutcome outcome) =>
        SseRelay.ProcessEvents(data, client, stripUsage, completionText, ref outcome, legacyText);

    /// <inheritdoc/>
    public void ProcessTail(ReadOnlySpan<byte> tail, IBufferWriter<byte> client, ref StreamOutcome outcome)
    {
        // Trailing bytes without a blank line: passed through as they are.
        if (!tail.IsEmpty)
        {
            client.Write(tail);
        }
    }

    /// <inheritdoc/>
    public void WriteFailure(IBufferWriter<byte> client) => client.Write(SseRelay.ChatMidStreamError);
}
