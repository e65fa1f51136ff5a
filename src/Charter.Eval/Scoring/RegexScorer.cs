// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Charter.Eval.Suites;

namespace Charter.Eval.Scoring;

/// <summary>Passes when the output matches the pattern (the scorer's <c>pattern</c>, else the expected value).</summary>
internal sealed class RegexScorer(string? pattern, bool ignoreCase) : IScorer
{
    private static readonly ConcurrentDictionary<(string, bool), Regex> _cache = new();

    /// <summary>Compiled, cached regex with a 1 s match timeout (guards against catastrophic backtracking).</summary>
    public static Regex GetRegex(string pattern, bool ignoreCase)
        => _cache.GetOrAdd((pattern, ignoreCase), static k => new Regex(
            k.Item1,
            RegexOptions.CultureInvariant | (k.Item2 ? RegexOptions.IgnoreCase : RegexOptions.None),
            TimeSpan.FromSeconds(1)));

    public ScoreResult Score(string output, string? expected, EvalCase evalCase)
    {
        var p = pattern ?? expected;
        if (string.IsNullOrEmpty(p))
        {
            return ScoreResult.Fail("no pattern");
        }

        try
        {
            return GetRegex(p, ignoreCase).IsMatch(output) ? ScoreResult.Pass() : ScoreResult.Fail("no match");
        }
        catch (ArgumentException ex)
        {
            return ScoreResult.Fail("invalid pattern: " + ex.Message);
        }
        catch (RegexMatchTimeoutException)
        {
            return ScoreResult.Fail("pattern timed out");
        }
    }
}
