// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy.Lifecycle;

/// <summary>Whether a key may be used now given its own, its team's and the provider account's lifecycles.</summary>
public readonly struct AccessDecision
{
    /// <summary>Creates a denial.</summary>
    public AccessDecision(string code, string message, EntityKind blockedBy)
    {
        Code = code;
        Message = message;
        BlockedBy = blockedBy;
    }

    /// <summary>The shared "allowed" value (no allocation).</summary>
    public static AccessDecision Allowed => default;

    /// <summary>True when access is allowed.</summary>
    public bool IsAllowed => Code is null;

    /// <summary>The deny code (see <see cref="PolicyDenyCodes"/>), or null when allowed.</summary>
    public string? Code { get; }

    /// <summary>Names the reason and, for suspensions, the measures still open.</summary>
    public string? Message { get; }

    /// <summary>Which entity blocked access; <see cref="EntityKind.Account"/> means routing may fail over to another account.</summary>
    public EntityKind BlockedBy { get; }
}
