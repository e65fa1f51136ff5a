// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json.Serialization;

namespace Charter.Admin;

/// <summary><c>POST /admin/v1/teams</c> body.</summary>
public sealed record CreateTeamRequest(string? Name);

/// <summary>A team as the admin API shows it.</summary>
public sealed record TeamDto(string Id, string Name, string State, DateTimeOffset CreatedAt);

/// <summary><c>POST /admin/v1/keys</c> body.</summary>
public sealed record CreateKeyRequest(string? Team, IReadOnlyList<string>? Purposes, string? DefaultPurpose, string? Jurisdiction, IReadOnlyList<string>? Models, string? Name)
{
    /// <summary>When the key stops being accepted (RFC 3339); null or absent for never.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>A key as the admin API shows it; <see cref="Key"/> (the secret) only in the creation response.</summary>
public sealed record KeyDto(string Id, string Team, string Prefix, IReadOnlyList<string> Purposes, string DefaultPurpose, string? Jurisdiction,
    IReadOnlyList<string>? Models, string? Name, string State, DateTimeOffset CreatedAt)
{
    /// <summary>The secret, shown once.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Key { get; init; }

    /// <summary>When the key stops being accepted; null for never.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>After a rotation with a grace period: until when the previous secret is still accepted; else null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? PreviousKeyExpiresAt { get; init; }
}

/// <summary><c>PATCH /admin/v1/keys/{id}</c> body, as documented: every member optional, null clears (bound as JSON, so that an
/// absent member and a null one differ).</summary>
public sealed record UpdateKeyRequest(string? Name, IReadOnlyList<string>? Purposes, string? DefaultPurpose, string? Jurisdiction,
    IReadOnlyList<string>? Models, DateTimeOffset? ExpiresAt);

/// <summary><c>POST /admin/v1/keys/{id}/rotate</c> body (optional): how long the previous secret stays accepted.</summary>
public sealed record RotateKeyRequest(long? GraceSeconds);

/// <summary><c>POST /admin/v1/admin-keys</c> body.</summary>
public sealed record CreateAdminKeyRequest(string? Role, string? Name)
{
    /// <summary>When the key stops being accepted (RFC 3339); null or absent for never.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>A created admin key (secret shown once).</summary>
public sealed record AdminKeyDto(string Id, string Role, string? Name, string Key)
{
    /// <summary>When the key stops being accepted; null for never.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>An admin key as listed (never the secret). <see cref="State"/> is <c>active</c>, <c>expired</c> or <c>revoked</c>.</summary>
public sealed record AdminKeyInfoDto(string Id, string Role, string? Name, string State, DateTimeOffset CreatedAt, string? CreatedBy,
    DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt);

/// <summary>A list wrapper (<c>{"data":[…]}</c>).</summary>
public sealed record ListDto<T>(IReadOnlyList<T> Data);

/// <summary>A history entry.</summary>
public sealed record HistoryDto(DateTimeOffset At, string Event, string? From, string? To, string Actor, string? Reason, string? Detail);

/// <summary>A request record summary.</summary>
public sealed record RequestDto(string Id, DateTimeOffset Ts, string? Key, string? Team, string? Provider, string? Account, string? Model, string? Purpose,
    string? Endpoint, int? Status, string? ErrorCode, string? Decision, string? Rule, int? PromptTokens, int? CompletionTokens, bool Estimated,
    double? LatencyMs, string? EvalRun, double? FirstTokenMs, string? ResponseId);

/// <summary><c>GET /admin/v1/whoami</c>: the caller's admin key id (<c>bootstrap</c> for <c>CHARTER_ADMIN_KEY</c>) and role.</summary>
public sealed record WhoAmIDto(string Id, string Role);
