// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;

namespace Charter.Sim;

/// <summary>One prompt of a legacy completions request: its text (token ids rendered as words) and how many tokens it counts for.</summary>
/// <param name="text">UTF-8 text: the string prompt, or a prompt of token ids rendered by <see cref="RenderTokenId"/>.</param>
/// <param name="contentTokens">ceil(UTF-8 bytes / 4) of a string prompt (as the chat route counts a message's text), or the number of token ids.</param>
internal sealed class CompletionPrompt(byte[] text, int contentTokens)
{
    private int[]? _tokenEnds;

    /// <summary>UTF-8 text: the string prompt, or a prompt of token ids rendered by <see cref="RenderTokenId"/>.</summary>
    public byte[] Text { get; } = text;

    /// <summary>ceil(UTF-8 bytes / 4) of a string prompt, or the number of token ids.</summary>
    public int ContentTokens { get; } = contentTokens;

    /// <summary>Hash of the one-user-message chat with this text (seeds the echoed tokens' log-probabilities).</summary>
    public ulong Hash { get; set; }

    /// <summary>End offsets (in bytes) of the prompt's tokens as echoed with <c>logprobs</c>: a run of white space and the word after it,
    /// so a rendered token id is one token (see <see cref="Split"/>).</summary>
    public int[] TokenEnds => _tokenEnds ??= Split(Text);

    /// <summary>The UTF-8 of echoed token <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Token(int index)
    {
        var start = index == 0 ? 0 : TokenEnds[index - 1];
        return Text.AsSpan(start, TokenEnds[index] - start);
    }

    /// <summary>Renders token id <paramref name="id"/> as <c>" word"</c> (a word of <see cref="SimText"/>), followed by the round
    /// (<c>id / WordCount</c>) when not 0: <c>[1212, 5]</c> reads <c>" sound9 result"</c>. Distinct ids give distinct words.</summary>
    public static void RenderTokenId(int id, PooledBufferWriter output)
    {
        output.Write(SimText.Lower[id % SimText.WordCount]);
        var round = id / SimText.WordCount;
        if (round > 0)
        {
            round.TryFormat(output.GetSpan(11), out var written, default, CultureInfo.InvariantCulture);
            output.Advance(written);
        }
    }

    /// <summary>Splits text into tokens: leading white space (space, tab, CR, LF) and the run of other bytes after it; trailing white
    /// space is a token of its own.</summary>
    public static int[] Split(ReadOnlySpan<byte> text)
    {
        var count = 0;
        for (var i = 0; i < text.Length; count++)
        {
            i = NextEnd(text, i);
        }

        var ends = new int[count];
        for (int i = 0, n = 0; i < text.Length; n++)
        {
            i = NextEnd(text, i);
            ends[n] = i;
        }

        return ends;
    }

    /// <summary>Length of UTF-8 <paramref name="utf8"/> in UTF-16 code units (the legacy <c>text_offset</c> is an index into the text
    /// as a string; for ASCII and most text, characters).</summary>
    public static int Utf16Length(ReadOnlySpan<byte> utf8)
    {
        var length = 0;
        foreach (var b in utf8)
        {
            if ((b & 0xC0) != 0x80)
            {
                // A lead byte: one code unit, two for a 4-byte sequence (a surrogate pair).
                length += b >= 0xF0 ? 2 : 1;
            }
        }

        return length;
    }

    private static int NextEnd(ReadOnlySpan<byte> text, int start)
    {
        var i = start;
        while (i < text.Length && IsSpace(text[i]))
        {
            i++;
        }

        while (i < text.Length && !IsSpace(text[i]))
        {
            i++;
        }

        return i;
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';
}
