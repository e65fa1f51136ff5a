// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Admin;

/// <summary>Body of <c>POST /admin/v1/{keys|teams|accounts}/{id}/transitions</c>.</summary>
/// <param name="Event">review, suspend, complete_measure, reinstate, ban, revoke, place_hold, clear_hold.</param>
/// <param name="Reason">Why (required for review, suspend, ban, revoke, place_hold).</param>
/// <param name="Measures">Remediation measures for suspend.</param>
/// <param name="Deadline">Deadline for suspend (ISO 8601, in the future).</param>
/// <param name="MeasureIndex">0-based index for complete_measure.</param>
/// <param name="Hold">geo, budget or provider_suspended for place_hold / clear_hold.</param>
public sealed record LifecycleTransitionRequest(string? Event, string? Reason, IReadOnlyList<string>? Measures, DateTimeOffset? Deadline, int? MeasureIndex, string? Hold);
