// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Admin;

/// <summary>The error of a refused transition: code, message naming the allowed events, and the allowed events.</summary>
public sealed record LifecycleErrorBody(string Message, string Type, string Code, IReadOnlyList<string> AllowedEvents);
