// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;

namespace Charter.Sim;

/// <summary>The legacy <c>logprobs</c> object: <c>{"tokens","token_logprobs","top_logprobs","text_offset"}</c>, one entry per token.</summary>
internal static partial class CompletionWriter
{
    /// <summary>Writes the <c>logprobs</c> of choice <paramref name="index"/>'s tokens <paramref name="from"/>..<paramref name="to"/>.</summary>
    /// <remarks>
    /// Positions count the echoed prompt's tokens first (<see cref="TextCompletion.EchoedTokens"/>), then the generated ones. As on
    /// OpenAI, the first token of an echoed prompt has nothing before it to be predicted from: its <c>token_logprobs</c> and
    /// <c>top_logprobs</c> entries are null. Each other <c>top_logprobs</c> entry maps <see cref="TextCompletion.Logprobs"/> distinct
    /// tokens to their log-probabilities, the chosen token first (it is always the most likely). <c>text_offset</c> is where the token
    /// starts in the choice's text (UTF-16 code units), from <paramref name="textOffset"/> for the first.
    /// </remarks>
    public static void WriteLogprobs(Utf8JsonWriter w, TextCompletion c, int index, int from, int to, int textOffset)
    {
        var prompt = c.PromptOf(index);
        var plan = c.Choices[index];
        var echoed = c.EchoedTokens(index);
        w.WriteStartObject();
        w.WriteStartArray("tokens"u8);
        for (var i = from; i < to; i++)
        {
            w.WriteStringValue(Token(prompt, plan, echoed, i));
        }

        w.WriteEndArray();
        w.WriteStartArray("token_logprobs"u8);
        for (var i = from; i < to; i++)
        {
            if (i == 0 && echoed > 0)
            {
                w.WriteNullValue();
            }
            else
            {
                w.WriteNumberValue(LogProb(prompt, plan, echoed, i));
            }
        }

        w.WriteEndArray();
        w.WriteStartArray("top_logprobs"u8);
        for (var i = from; i < to; i++)
        {
            if (i == 0 && echoed > 0)
            {
                w.WriteNullValue();
            }
            else
            {
                WriteTop(w, prompt, plan, echoed, i, c.Logprobs);
            }
        }

        w.WriteEndArray();
        w.WriteStartArray("text_offset"u8);
        var offset = textOffset;
        for (var i = from; i < to; i++)
        {
            w.WriteNumberValue(offset);
            offset += CompletionPrompt.Utf16Length(Token(prompt, plan, echoed, i));
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Token at <paramref name="position"/>: an echoed prompt token, or a generated one.</summary>
    private static ReadOnlySpan<byte> Token(CompletionPrompt prompt, in ChoicePlan plan, int echoed, int position) =>
        position < echoed ? prompt.Token(position) : SimText.Token(plan, position - echoed);

    private static double LogProb(CompletionPrompt prompt, in ChoicePlan plan, int echoed, int position) =>
        position < echoed ? SimText.LogProb(prompt.Hash, position) : SimText.LogProb(plan.Hash, position - echoed);

    /// <summary>Writes <c>{token: logprob, alternative: logprob, …}</c> with <paramref name="count"/> distinct keys.</summary>
    /// <remarks>Alternatives are words of <see cref="SimText"/> (capitalised at the start of a generated text, as the chat route's),
    /// chosen as chat's <c>top_logprobs</c> are, then moved on to the next word when one repeats a key already written: an object
    /// cannot hold a key twice, where chat's array can.</remarks>
    private static void WriteTop(Utf8JsonWriter w, CompletionPrompt prompt, in ChoicePlan plan, int echoed, int position, int count)
    {
        var token = Token(prompt, plan, echoed, position);
        var logprob = LogProb(prompt, plan, echoed, position);
        var generated = position >= echoed;
        var hash = generated ? plan.Hash : prompt.Hash;
        var index = generated ? position - echoed : position;
        var words = generated && index == 0 ? SimText.Capital : SimText.Lower;
        w.WriteStartObject();
        if (count > 0)
        {
            w.WriteNumber(token, logprob);
        }

        Span<int> taken = stackalloc int[CompletionRequest.MaxLogprobs];
        for (var rank = 1; rank < count; rank++)
        {
            var word = SimText.AlternativeWord(hash, index, rank);
            while (taken[..(rank - 1)].Contains(word) || words[word].AsSpan().SequenceEqual(token))
            {
                word = (word + 1) % SimText.WordCount;
            }

            taken[rank - 1] = word;
            w.WriteNumber(words[word], SimText.AlternativeLogProb(hash, index, rank, logprob));
        }

        w.WriteEndObject();
    }
}
