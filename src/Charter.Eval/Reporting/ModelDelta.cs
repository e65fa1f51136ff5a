// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Reporting;

/// <summary>One model's change between two runs, on the cases both runs hold.</summary>
public sealed record ModelDelta(string Model, int Cases, double AccuracyA, double AccuracyB, int Regressions, int Improvements, double PValue)
{
    public double Delta => AccuracyB - AccuracyA;
}
