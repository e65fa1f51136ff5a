// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Statistics;

/// <summary>A two-sided confidence interval.</summary>
public readonly record struct ConfidenceInterval(double Lower, double Upper)
{
    public bool Contains(double value) => value >= Lower && value <= Upper;
}
