// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Runtime.CompilerServices;
using Charter.Eval.Suites;

namespace Charter.Eval.Scoring;

/// <summary>Creates the synchronous scorer for a spec (one instance per spec, reused across cases).</summary>
public static class ScorerFactory
{
    private static readonly ConditionalWeakTable<ScorerSpec, IScorer> _cache = [];

    /// <summary>The scorer for <paramref name="spec"/>; null for <see cref="ScorerKind.Judge"/>, which the runner calls itself.</summary>
    public static IScorer? Create(ScorerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Type == ScorerKind.Judge)
        {
            return null;
        }

        return _cache.GetValue(spec, static s => s.Type switch
        {
            ScorerKind.Exact => new ExactScorer(s.Trim, s.IgnoreCase),
            ScorerKind.Contains => new ContainsScorer(s.IgnoreCase),
            ScorerKind.Regex => new RegexScorer(s.Pattern, s.IgnoreCase),
            ScorerKind.Choice => new ChoiceScorer(s.Choices),
            ScorerKind.Numeric => new NumericScorer(s.Tolerance, s.RelativeTolerance),
            ScorerKind.JsonSchema => new JsonSchemaScorer(s.Schema ?? "true"),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), s.Type, "unknown scorer"),
        });
    }
}
