// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;

namespace Charter.Sim;

/// <summary>Writes a legacy text completion as server-sent events, paced by time-to-first-token and tokens/s.</summary>
/// <remarks>
/// Chunks are <c>text_completion</c> objects with the answer's id and created: with <c>echo</c> first each choice's prompt (one
/// chunk per choice), then one chunk per generated token (<c>finish_reason:null</c>), then per choice an empty text with its
/// finish_reason; with include_usage every chunk has <c>"usage":null</c> and a last <c>choices:[]</c> chunk has the usage; then
/// <c>data: [DONE]</c>. Pacing and faults (drop, error event half-way) as <see cref="ChatStream"/>'s; Azure routes start with a
/// <c>choices:[]</c> chunk holding <c>prompt_filter_results</c>.
/// </remarks>
internal sealed class CompletionStream : SimStream
{
    private readonly TextCompletion _completion;

    public CompletionStream(TextCompletion completion, TimeProvider time, TimeSpan timeToFirstToken, double tokensPerSecond, bool drop, bool error)
        : base(time, timeToFirstToken, tokensPerSecond, drop, error)
    {
        _completion = completion;
    }

    /// <inheritdoc />
    protected override async Task<StreamOutcome> WriteEventsAsync(PipeWriter output, Utf8JsonWriter w, CancellationToken cancellationToken)
    {
        var c = _completion;
        if (!await StartDataAsync(output, w, c.AzureAnnotations ? c.Prompts.Length : 0, cancellationToken).ConfigureAwait(false))
        {
            return StreamOutcome.ClientGone;
        }

        // Where each choice's next piece starts in its text (UTF-16 code units), for text_offset; one allocation per stream.
        var offsets = new int[c.Choices.Length];
        var withLogprobs = c.Logprobs >= 0;
        if (c.Echo)
        {
            for (var i = 0; i < c.Choices.Length; i++)
            {
                var prompt = c.PromptOf(i).Text;
                if (prompt.Length > 0)
                {
                    TextEvent(output, w, c, i, prompt, 0, withLogprobs ? c.EchoedTokens(i) : 0, 0);
                    offsets[i] = CompletionPrompt.Utf16Length(prompt);
                }
            }
        }

        var ended = await WriteDataStepsAsync(output, w, c.Steps, (c, offsets, withLogprobs), static (output, w, state, step) =>
        {
            var (c, offsets, withLogprobs) = state;
            for (var i = 0; i < c.Choices.Length; i++)
            {
                if (step < c.Choices[i].Count)
                {
                    var token = SimText.Token(c.Choices[i], step);
                    var position = withLogprobs ? c.EchoedTokens(i) + step : step;
                    TextEvent(output, w, c, i, token, position, position + 1, offsets[i]);
                    offsets[i] += token.Length; // generated tokens are ASCII
                }
            }
        }, cancellationToken).ConfigureAwait(false);
        if (ended is { } outcome)
        {
            // A fault half-way (with max_tokens 0, before the finish chunks), or the client gone.
            return outcome;
        }

        for (var i = 0; i < c.Choices.Length; i++)
        {
            BeginData(output, w);
            CompletionWriter.WriteChunkStart(w, c);
            CompletionWriter.WriteFinishChoice(w, c, i);
            CompletionWriter.WriteChunkEnd(w, c);
            End(output, w);
        }

        if (c.IncludeUsage)
        {
            BeginData(output, w);
            CompletionWriter.WriteUsageChunk(w, c);
            End(output, w);
        }

        output.Write("data: [DONE]\n\n"u8);
        return await FlushAsync(output, cancellationToken).ConfigureAwait(false) ? StreamOutcome.Completed : StreamOutcome.ClientGone;
    }

    private static void TextEvent(PipeWriter output, Utf8JsonWriter w, TextCompletion c, int index, ReadOnlySpan<byte> text, int from, int to, int textOffset)
    {
        BeginData(output, w);
        CompletionWriter.WriteChunkStart(w, c);
        CompletionWriter.WriteTextChoice(w, c, index, text, from, to, textOffset);
        CompletionWriter.WriteChunkEnd(w, c);
        End(output, w);
    }
}
