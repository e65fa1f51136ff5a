// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Sim;

/// <summary>What one choice of a completion will say: a seed for its words, or a multiple-choice letter.</summary>
/// <param name="Hash">Seed of the words and log-probabilities of this choice.</param>
/// <param name="Count">Number of tokens generated (= completion tokens of this choice).</param>
/// <param name="Truncated">True when <c>max_tokens</c> cut the answer (finish_reason <c>length</c>).</param>
/// <param name="Letter">0-based multiple-choice answer (A = 0), or -1 for free text.</param>
internal readonly record struct ChoicePlan(ulong Hash, int Count, bool Truncated, int Letter)
{
    /// <summary>Number of tokens of a complete multiple-choice answer ("The answer is (B).").</summary>
    public const int MultipleChoiceTokens = 4;

    /// <summary>Tokens of the longest of <paramref name="choices"/>: the number of generation steps.</summary>
    public static int Steps(ReadOnlySpan<ChoicePlan> choices)
    {
        var max = 0;
        foreach (var choice in choices)
        {
            max = Math.Max(max, choice.Count);
        }

        return max;
    }
}
