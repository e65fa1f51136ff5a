// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using Charter.Streaming;

namespace Charter.Providers.Messages;

/// <summary>A chat completions stream served to a Messages API client: the chunks become Anthropic's named events as they
/// arrive (<see cref="SseRelay"/>).</summary>
/// <param name="stream">The stream's translator (it holds the stream's state: open block, tool calls, stop reason, usage).</param>
public readonly struct ChatToMessagesSseTransform(ChatToMessagesStream stream) : ISseTransform
{
    /// <summary>The event that tells a Messages client the upstream failed mid-stream.</summary>
    internal static ReadOnlySpan<byte> MidStreamError => "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"The upstream connection failed mid-stream.\"}}\n\n"u8;

    /// <inheritdoc/>
    public int ProcessEvents(ReadOnlySpan<byte> data, IBufferWriter<byte> client, ref StreamOutcome outcome) =>
        stream.ProcessEvents(data, client, ref outcome);

    /// <inheritdoc/>
    public void ProcessTail(ReadOnlySpan<byte> tail, IBufferWriter<byte> client, ref StreamOutcome outcome)
    {
        // An event cut off by the end of the stream is not a whole chunk: nothing of it is relayed, and the missing
        // [DONE] leaves the outcome an upstream error.
    }

    /// <inheritdoc/>
    public void WriteFailure(IBufferWriter<byte> client) => client.Write(MidStreamError);
}
