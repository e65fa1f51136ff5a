// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Eval.Running;
using Charter.Eval.Statistics;

namespace Charter.Eval.Reporting;

/// <summary>The JSON document written by <c>charter eval export</c> (and <c>run --json</c>).</summary>
public sealed record RunExport(EvalRunInfo Run, IReadOnlyList<ModelStatistics> Models, IReadOnlyList<PairwiseComparison> Pairs, IReadOnlyList<CaseResult>? Results);
