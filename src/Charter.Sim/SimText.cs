// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text;

namespace Charter.Sim;

/// <summary>Precomputed UTF-8 tokens the simulator builds its answers from.</summary>
/// <remarks>One token is one word (with its leading space); every token is pure ASCII and needs no JSON escaping.</remarks>
internal static class SimText
{
    private static readonly string[] s_words =
    [
        "the", "model", "answer", "data", "system", "result", "value", "process", "simple", "clear",
        "request", "response", "token", "stream", "policy", "purpose", "gateway", "provider", "account", "review",
        "evidence", "record", "signal", "window", "budget", "limit", "route", "alias", "deployment", "region",
        "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "river", "mountain", "forest",
        "light", "shadow", "sound", "noise", "pattern", "number", "letter", "word", "sentence", "paragraph",
        "is", "are", "was", "will", "can", "should", "might", "must", "could", "would",
        "and", "or", "but", "so", "because", "while", "when", "where", "which", "that",
        "good", "useful", "careful", "precise", "robust", "steady", "fast", "small", "large", "honest",
        "check", "measure", "compare", "explain", "verify", "report", "collect", "follow", "build", "test",
        "today", "always", "often", "rarely", "again", "together", "here", "there", "now", "then",
        "of", "to", "in", "on", "for", "with", "by", "from", "about", "through",
        "table", "chart", "figure", "list", "note", "example", "case", "point", "step", "plan",
        "a", "an", "this", "these", "each", "every", "some", "many", "few", "most",
    ];

    /// <summary>Number of distinct words.</summary>
    public static readonly int WordCount = s_words.Length;

    /// <summary>" word" tokens (leading space).</summary>
    public static readonly byte[][] Lower = Build(static w => " " + w);

    /// <summary>"Word" tokens (first token of an answer).</summary>
    public static readonly byte[][] Capital = Build(static w => char.ToUpperInvariant(w[0]) + w[1..]);

    /// <summary>" word." tokens (last token of a finished answer).</summary>
    public static readonly byte[][] LowerDot = Build(static w => " " + w + ".");

    /// <summary>"Word." tokens (a one-token finished answer).</summary>
    public static readonly byte[][] CapitalDot = Build(static w => char.ToUpperInvariant(w[0]) + w[1..] + ".");

    /// <summary>Longest token in bytes.</summary>
    public static readonly int MaxTokenBytes = 24;

    private static readonly byte[] s_the = "The"u8.ToArray();
    private static readonly byte[] s_answer = " answer"u8.ToArray();
    private static readonly byte[] s_is = " is"u8.ToArray();
    private static readonly byte[][] s_letters = BuildLetters();

    /// <summary>Token <paramref name="index"/> of a choice; see <see cref="ChoicePlan"/>.</summary>
    public static ReadOnlySpan<byte> Token(ChoicePlan plan, int index)
    {
        if (plan.Letter >= 0)
        {
            return index switch
            {
                0 => s_the,
                1 => s_answer,
                2 => s_is,
                _ => s_letters[plan.Letter],
            };
        }

        var word = WordIndex(plan.Hash, index);
        var last = !plan.Truncated && index == plan.Count - 1;
        if (index == 0)
        {
            return last ? CapitalDot[word] : Capital[word];
        }

        return last ? LowerDot[word] : Lower[word];
    }

    /// <summary>Deterministic word index for position <paramref name="index"/> of the text seeded by <paramref name="hash"/>.</summary>
    public static int WordIndex(ulong hash, int index) => (int)(SimHash.Mix(hash + (ulong)index * 0x9E3779B97F4A7C15UL) % (ulong)WordCount);

    /// <summary>Deterministic log-probability (negative, small) of token <paramref name="index"/>.</summary>
    public static double LogProb(ulong hash, int index)
    {
        var u = SimHash.Unit(SimHash.Mix(hash ^ (0xA24BAED4963EE407UL + (ulong)index)));
        return -Math.Round((u * u * 2.5) + 0.0001, 6);
    }

    /// <summary>The word offered as alternative <paramref name="rank"/> (1 = the first after the chosen token) at position
    /// <paramref name="index"/> of the text seeded by <paramref name="hash"/>.</summary>
    public static int AlternativeWord(ulong hash, int index, int rank) => WordIndex(hash ^ (0x5851F42D4C957F2DUL * (ulong)rank), index);

    /// <summary>The log-probability of alternative <paramref name="rank"/> (≥ 1): below the chosen token's <paramref name="logprob"/>,
    /// lower for each further rank.</summary>
    public static double AlternativeLogProb(ulong hash, int index, int rank, double logprob) =>
        Math.Round(logprob - (rank * 0.9) - (SimHash.Unit(SimHash.Mix(hash + (ulong)((index * 31) + rank))) * 0.5), 6);

    /// <summary>Writes the whole text of a choice into <paramref name="destination"/> and returns the byte count.</summary>
    public static int Write(in ChoicePlan plan, Span<byte> destination)
    {
        var written = 0;
        for (var i = 0; i < plan.Count; i++)
        {
            var token = Token(plan, i);
            token.CopyTo(destination[written..]);
            written += token.Length;
        }

        return written;
    }

    /// <summary>Upper bound of <see cref="Write"/>'s output.</summary>
    public static int MaxBytes(in ChoicePlan plan) => plan.Count * MaxTokenBytes;

    private static byte[][] Build(Func<string, string> shape)
    {
        var result = new byte[s_words.Length][];
        for (var i = 0; i < s_words.Length; i++)
        {
            result[i] = Encoding.UTF8.GetBytes(shape(s_words[i]));
        }

        return result;
    }

    private static byte[][] BuildLetters()
    {
        var result = new byte[MultipleChoice.MaxOptions][];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = Encoding.ASCII.GetBytes(" (" + (char)('A' + i) + ").");
        }

        return result;
    }
}
