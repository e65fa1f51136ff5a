// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy;

/// <summary>One rule or term that matched a request, as reported by <see cref="PolicySet.Explain"/>.</summary>
public sealed record PolicyMatch
{
    /// <summary>Where the match comes from: <c>purpose</c>, <c>terms</c>, <c>rule</c> or <c>default</c>.</summary>
    public required string Stage { get; init; }

    /// <summary>The rule or term id.</summary>
    public required string RuleId { get; init; }

    /// <summary>The effect this match alone would have.</summary>
    public required PolicyEffect Effect { get; init; }

    /// <summary>The deny code, for denials.</summary>
    public string? Code { get; init; }

    /// <summary>The rule's message.</summary>
    public string? Message { get; init; }

    /// <summary>Where the rule is written (file:line) or the terms' source.</summary>
    public string? Source { get; init; }

    /// <summary>The id of a matching rule whose <c>overrides</c> suppressed this one, if any.</summary>
    public string? SuppressedBy { get; init; }

    /// <summary>True for the match that decided the outcome.</summary>
    public bool Decisive { get; init; }

    internal static PolicyMatch From(string stage, PolicyDecision decision, string? source) => new()
    {
        Stage = stage,
        RuleId = decision.RuleId ?? stage,
        Effect = decision.Effect,
        Code = decision.Code,
        Message = decision.Message,
        Source = source,
    };
}
