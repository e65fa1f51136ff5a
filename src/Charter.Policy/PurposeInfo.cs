// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy;

/// <summary>A purpose the organization recognises.</summary>
/// <param name="Name">The purpose name used in the `Charter-Purpose` header, e.g. `evaluation`.</param>
/// <param name="Description">What the purpose covers.</param>
/// <param name="Forbidden">True when the organization forbids the purpose outright (always denied).</param>
public sealed record PurposeInfo(string Name, string Description, bool Forbidden);
