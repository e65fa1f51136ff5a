// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Admin;

/// <summary>A refused transition (409 for illegal transitions, 400 for invalid commands, 404 for unknown entities).</summary>
public sealed record LifecycleErrorDto(LifecycleErrorBody Error);
