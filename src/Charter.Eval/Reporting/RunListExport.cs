// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Eval.Running;

namespace Charter.Eval.Reporting;

/// <summary>The JSON document written by <c>charter eval list --json</c>.</summary>
public sealed record RunListExport(IReadOnlyList<EvalRunInfo> Runs);
