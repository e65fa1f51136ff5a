// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Admin;

/// <summary>Answer of <c>GET /admin/v1/{keys|teams|accounts}/{id}/history</c>: current lifecycle, every transition (who, why),
/// and the recent deny/flag decisions that involved the entity.</summary>
public sealed record LifecycleHistoryDto(LifecycleEntityDto Entity, IReadOnlyList<HistoryDto> Transitions, IReadOnlyList<LifecycleDecisionDto> Decisions);
