// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Admin;

/// <summary>One remediation measure of a suspension.</summary>
public sealed record LifecycleMeasureDto(int Index, string Description, bool Done, DateTimeOffset? CompletedAt, string? CompletedBy);
