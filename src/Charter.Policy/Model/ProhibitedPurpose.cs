// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy.Model;

/// <summary>A purpose a provider's terms prohibit, with the clause that says so.</summary>
internal sealed record ProhibitedPurpose(string Purpose, string? Clause, string? Message);
