// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Reporting;

/// <summary>A case whose outcome changed between two runs.</summary>
public sealed record CaseChange(string Model, string CaseId, int RepeatIndex, string? Expected, string? OutputA, string? OutputB, bool PassedA, bool PassedB);
