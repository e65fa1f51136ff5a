// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Audit;

/// <summary>The values of <see cref="AuditEvent.Kind"/>.</summary>
public static class AuditEventKinds
{
    public const string Request = "request";
    public const string RequestCompleted = "request.completed";
    public const string Transition = "transition";
    public const string PolicyLoad = "policy.load";
    public const string Admin = "admin";
}
