// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy.Model;

/// <summary>The `when:` of an organization rule: every field present must match (AND); values within a list are alternatives (OR).</summary>
internal sealed record RuleCondition
{
    public IReadOnlyList<string>? Purposes { get; init; }

    public IReadOnlyList<string>? Teams { get; init; }

    public IReadOnlyList<string>? Keys { get; init; }

    public IReadOnlyList<ProviderKind>? Providers { get; init; }

    public IReadOnlyList<string>? Accounts { get; init; }

    public IReadOnlyList<string>? Models { get; init; }

    public IReadOnlyList<string>? Jurisdictions { get; init; }

    public NumericCondition? N { get; init; }

    public NumericCondition? MaxTokens { get; init; }

    public NumericCondition? TopLogprobs { get; init; }

    public NumericCondition? LogitBias { get; init; }

    public NumericCondition? Temperature { get; init; }

    public bool? Logprobs { get; init; }

    public bool? Stream { get; init; }

    /// <summary>UTC days of the week, or null for any day.</summary>
    public IReadOnlyList<DayOfWeek>? Days { get; init; }

    /// <summary>UTC hour range [from, to); wraps past midnight when from &gt; to.</summary>
    public (int From, int To)? Hours { get; init; }
}
