// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Admin;

/// <summary>A request decision that denied or flagged, from the request records.</summary>
public sealed record LifecycleDecisionDto(string RequestId, DateTimeOffset At, string Decision, string? Code, string? Rule, string? Key, string? Account, string? Purpose, string? Model);
