// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Reporting;

/// <summary>Result of <c>charter eval compare RUN_A RUN_B</c>.</summary>
public sealed record RunComparisonExport(
    string RunA,
    string RunB,
    bool SameSuite,
    IReadOnlyList<ModelDelta> Models,
    IReadOnlyList<CaseChange> Regressions,
    IReadOnlyList<CaseChange> Improvements);
