// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Observability;

/// <summary>The labels of <c>charter.requests</c>: who asked, for what, through which account, and how it ended.</summary>
internal readonly record struct RequestSeries(string Team, string Model, string Account, int Status, string Outcome, string Code);
