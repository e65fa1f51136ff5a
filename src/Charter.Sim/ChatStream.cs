// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;

namespace Charter.Sim;

/// <summary>Writes a chat completion as server-sent events, paced by time-to-first-token and tokens/s.</summary>
/// <remarks>
/// Wire format (WIRE.md §1): per choice a role delta, then one content delta per token, then an empty delta
/// with finish_reason; with include_usage a last <c>choices:[]</c> chunk with usage; then <c>data: [DONE]</c>.
/// With tokens/s = 0 the events are flushed once at the end (cheap for load tests); otherwise after each token.
/// </remarks>
internal sealed class ChatStream : SimStream
{
    private readonly ChatCompletion _completion;

    public ChatStream(ChatCompletion completion, TimeProvider time, TimeSpan timeToFirstToken, double tokensPerSecond, bool drop, bool error = false)
        : base(time, timeToFirstToken, tokensPerSecond, drop, error)
    {
        _completion = completion;
    }

    public ChatCompletion Completion => _completion;

    /// <inheritdoc />
    protected override async Task<StreamOutcome> WriteEventsAsync(PipeWriter output, Utf8JsonWriter w, CancellationToken cancellationToken)
    {
        var c = _completion;
        if (!await StartDataAsync(output, w, c.AzureAnnotations ? 1 : 0, cancellationToken).ConfigureAwait(false))
        {
            return StreamOutcome.ClientGone;
        }

        for (var i = 0; i < c.Choices.Length; i++)
        {
            RoleEvent(output, w, c, i);
        }

        var ended = await WriteDataStepsAsync(output, w, c.Steps, c, static (output, w, c, step) =>
        {
            for (var i = 0; i < c.Choices.Length; i++)
            {
                if (step < c.Choices[i].Count)
                {
                    TokenEvent(output, w, c, i, step);
                }
            }
        }, cancellationToken).ConfigureAwait(false);
        if (ended is { } outcome)
        {
            return outcome;
        }

        for (var i = 0; i < c.Choices.Length; i++)
        {
            FinishEvent(output, w, c, i);
        }

        if (c.IncludeUsage)
        {
            BeginData(output, w);
            ChatWriter.WriteUsageChunk(w, c);
            End(output, w);
        }

        output.Write("data: [DONE]\n\n"u8);
        return await FlushAsync(output, cancellationToken).ConfigureAwait(false) ? StreamOutcome.Completed : StreamOutcome.ClientGone;
    }

    private static void TokenEvent(PipeWriter output, Utf8JsonWriter w, ChatCompletion c, int index, int token)
    {
        BeginData(output, w);
        ChatWriter.WriteChunkStart(w, c);
        ChatWriter.WriteTokenChoice(w, c, index, token);
        ChatWriter.WriteChunkEnd(w, c);
        End(output, w);
    }

    private static void RoleEvent(PipeWriter output, Utf8JsonWriter w, ChatCompletion c, int index)
    {
        BeginData(output, w);
        ChatWriter.WriteChunkStart(w, c);
        ChatWriter.WriteRoleChoice(w, index);
        ChatWriter.WriteChunkEnd(w, c);
        End(output, w);
    }

    private static void FinishEvent(PipeWriter output, Utf8JsonWriter w, ChatCompletion c, int index)
    {
        BeginData(output, w);
        ChatWriter.WriteChunkStart(w, c);
        ChatWriter.WriteFinishChoice(w, c, index);
        ChatWriter.WriteChunkEnd(w, c);
        End(output, w);
    }
}
