// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Observability;

/// <summary>Running totals of one <see cref="UsageSeries"/>.</summary>
internal sealed class UsageTotals
{
    public long Prompt;
    public long Completion;
    public long Cached;
    public long EstimatedCompletion;
    public long CostNanos;
}
