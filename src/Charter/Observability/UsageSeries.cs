// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Observability;

/// <summary>The labels of the token and cost counters.</summary>
internal readonly record struct UsageSeries(string Team, string Model, string Account);
