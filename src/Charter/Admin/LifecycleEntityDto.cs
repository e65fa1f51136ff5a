// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Admin;

/// <summary>The lifecycle of one key, team or provider account.</summary>
public sealed record LifecycleEntityDto(string Kind, string Id, string State, IReadOnlyList<string> Holds, string? Reason,
    IReadOnlyList<LifecycleMeasureDto> Measures, DateTimeOffset? Deadline, DateTimeOffset Since, long Version, bool AccessAllowed, IReadOnlyList<string> AllowedEvents);
