// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Observability;

/// <summary>The labels of <c>charter.policy.decisions</c>.</summary>
internal readonly record struct DecisionSeries(string Decision, string Rule, string Purpose);
