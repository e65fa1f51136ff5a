// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.UsageReports;

/// <summary>One group of usage: the grouped values (null for a dimension not grouped by) and the totals.</summary>
public sealed record UsageRow
{
    /// <summary>Key id, when grouped by key.</summary>
    public string? Key { get; init; }

    /// <summary>Team id, when grouped by team.</summary>
    public string? Team { get; init; }

    /// <summary>Model, when grouped by model.</summary>
    public string? Model { get; init; }

    /// <summary>Purpose, when grouped by purpose.</summary>
    public string? Purpose { get; init; }

    /// <summary>UTC day <c>yyyy-MM-dd</c>, when grouped by day.</summary>
    public string? Day { get; init; }

    /// <summary>Requests forwarded (denied requests are not counted).</summary>
    public long Requests { get; init; }

    /// <summary>Prompt tokens (upstream's figures, or estimates where the upstream gave none).</summary>
    public long PromptTokens { get; init; }

    /// <summary>Completion tokens.</summary>
    public long CompletionTokens { get; init; }

    /// <summary>Cost in nano-USD (1e-9 USD), exact.</summary>
    public long CostNanos { get; init; }

    /// <summary>Cost in USD (<see cref="CostNanos"/> / 1e9), exact in decimal.</summary>
    public decimal CostUsd => CostNanos / 1_000_000_000m;

    /// <summary>The value of one dimension.</summary>
    public string? Get(UsageDimension dimension) => dimension switch
    {
        UsageDimension.Key => Key,
        UsageDimension.Team => Team,
        UsageDimension.Model => Model,
        UsageDimension.Purpose => Purpose,
        UsageDimension.Day => Day,
        _ => null,
    };
}
