// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Collections.Frozen;
using Charter.Policy.Model;

namespace Charter.Policy.Compilation;

/// <summary>An organization rule compiled to flat predicates; purpose and provider are resolved by the per-(provider, purpose) table.</summary>
internal sealed class CompiledRule
{
    public required int Index { get; init; }

    public required RuleDefinition Definition { get; init; }

    public required PolicyDecision Decision { get; init; }

    /// <summary>Indexed by purpose id; null when the rule names no purpose.</summary>
    public bool[]? PurposeMask { get; init; }

    /// <summary>Bit per <see cref="ProviderKind"/>; 0 when the rule names no provider.</summary>
    public int ProviderMask { get; init; }

    public FrozenSet<string>? Teams { get; init; }

    public FrozenSet<string>? Keys { get; init; }

    public FrozenSet<string>? Accounts { get; init; }

    public FrozenSet<string>? Jurisdictions { get; init; }

    public string[]? Models { get; init; }

    public NumericCondition? N { get; init; }

    public NumericCondition? MaxTokens { get; init; }

    public NumericCondition? TopLogprobs { get; init; }

    public NumericCondition? LogitBias { get; init; }

    public NumericCondition? Temperature { get; init; }

    public bool? Logprobs { get; init; }

    public bool? Stream { get; init; }

    /// <summary>Bit per <see cref="DayOfWeek"/> (UTC); 0 for any day.</summary>
    public int DaysMask { get; init; }

    /// <summary>Bit per UTC hour; 0 for any hour.</summary>
    public int HoursMask { get; init; }

    /// <summary>Indexes of the rules this rule suppresses when it matches.</summary>
    public int[] Overrides { get; init; } = [];

    public PolicyEffect Effect => Decision.Effect;

    /// <summary>True when the purpose and provider conditions accept the request (the table does this on the hot path).</summary>
    public bool MatchesPurposeAndProvider(int purposeId, ProviderKind provider) =>
        (PurposeMask is null || (purposeId >= 0 && PurposeMask[purposeId]))
        && (ProviderMask == 0 || (ProviderMask & (1 << (int)provider)) != 0);

    /// <summary>Evaluates every condition except purpose and provider. Allocation-free.</summary>
    public bool Matches(in PolicyRequest r)
    {
        if (Teams is not null && (r.TeamId is null || !Teams.Contains(r.TeamId)))
        {
            return false;
        }

        if (Keys is not null && (r.KeyId is null || !Keys.Contains(r.KeyId)))
        {
            return false;
        }

        if (Accounts is not null && (r.AccountId is null || !Accounts.Contains(r.AccountId)))
        {
            return false;
        }

        if (Jurisdictions is not null && (r.Jurisdiction is null || !Jurisdictions.Contains(r.Jurisdiction)))
        {
            return false;
        }

        if (Models is not null && !MatchesModel(r.Model))
        {
            return false;
        }

        if (N is { } n && !n.Matches(r.EffectiveN))
        {
            return false;
        }

        if (MaxTokens is { } mt && (r.MaxTokens is not { } maxTokens || !mt.Matches(maxTokens)))
        {
            return false;
        }

        if (TopLogprobs is { } tl && !tl.Matches(r.TopLogprobs))
        {
            return false;
        }

        if (LogitBias is { } lb && !lb.Matches(r.LogitBiasCount))
        {
            return false;
        }

        if (Temperature is { } temp && (r.Temperature is not { } t || !temp.Matches(t)))
        {
            return false;
        }

        if (Logprobs is { } lp && lp != r.Logprobs)
        {
            return false;
        }

        if (Stream is { } s && s != r.Stream)
        {
            return false;
        }

        if ((DaysMask | HoursMask) != 0)
        {
            var utc = r.Timestamp.UtcDateTime;
            if (DaysMask != 0 && (DaysMask & (1 << (int)utc.DayOfWeek)) == 0)
            {
                return false;
            }

            if (HoursMask != 0 && (HoursMask & (1 << utc.Hour)) == 0)
            {
                return false;
            }
        }

        return true;
    }

    private bool MatchesModel(string? model)
    {
        if (model is null)
        {
            return false;
        }

        foreach (var pattern in Models!)
        {
            if (ModelGlob.IsMatch(pattern, model))
            {
                return true;
            }
        }

        return false;
    }
}
