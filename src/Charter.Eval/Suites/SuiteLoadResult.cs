// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Diagnostics.CodeAnalysis;

namespace Charter.Eval.Suites;

/// <summary>Outcome of loading a suite: the suite, or every error found.</summary>
public sealed record SuiteLoadResult(EvalSuite? Suite, IReadOnlyList<string> Errors)
{
    [MemberNotNullWhen(true, nameof(Suite))]
    public bool Success => Suite is not null && Errors.Count == 0;
}
