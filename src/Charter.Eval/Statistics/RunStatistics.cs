// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Statistics;

/// <summary>Every statistic of a run: one entry per model (ranked by accuracy) and one per pair of models.</summary>
public sealed record RunStatistics(IReadOnlyList<ModelStatistics> Models, IReadOnlyList<PairwiseComparison> Pairs);
