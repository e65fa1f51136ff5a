// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy.Lifecycle;

/// <summary>A measure a suspension requires, open until marked done.</summary>
/// <param name="Description">What must be done, e.g. "delete the generated data set and confirm in writing".</param>
/// <param name="Done">True once completed.</param>
/// <param name="CompletedAt">When it was marked done.</param>
/// <param name="CompletedBy">Who marked it done.</param>
public sealed record RemediationMeasure(string Description, bool Done = false, DateTimeOffset? CompletedAt = null, string? CompletedBy = null);
