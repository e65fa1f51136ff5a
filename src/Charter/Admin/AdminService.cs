// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Keys;
using Charter.Records;
using Charter.Storage;

namespace Charter.Admin;

/// <summary>Teams and keys: the operations behind the admin API and the CLI.</summary>
public sealed class AdminService(IGatewayStore store, TimeProvider time, KeyRegistry? registry = null, Journal? journal = null, Charter.Accounting.IChangeNotifier? notifier = null,
    AdminAuthenticator? admins = null)
{
    /// <summary>Creates a team.</summary>
    public async Task<AdminResult<TeamRecord>> CreateTeamAsync(string? name, string actor, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            return AdminResult<TeamRecord>.Fail(400, "'name' is required (1-100 characters).");
        }

        var team = new TeamRecord { Id = KeySecrets.NewId("team_"), Name = name.Trim(), CreatedAt = time.GetUtcNow() };
        if (!await store.CreateTeamAsync(team, cancellationToken).ConfigureAwait(false))
        {
            return AdminResult<TeamRecord>.Fail(409, $"A team named '{team.Name}' already exists.");
        }

        registry?.Upsert(team);
        await AuditAsync("team.create", actor, "team", team.Id, $"created team {team.Name}").ConfigureAwait(false);
        return AdminResult<TeamRecord>.Success(team);
    }

    /// <summary>Creates a key; the secret is returned once and never stored.</summary>
    public async Task<AdminResult<(ApiKeyRecord Key, string Secret)>> CreateKeyAsync(CreateKeyRequest request, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(request.Team))
        {
            errors.Add("'team' is required.");
        }

        var purposes = request.Purposes?.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim()).Distinct(StringComparer.Ordinal).ToList() ?? [];
        if (purposes.Count == 0)
        {
            errors.Add("'purposes' must list at least one purpose.");
        }

        var defaultPurpose = request.DefaultPurpose ?? (purposes.Count > 0 ? purposes[0] : null);
        if (defaultPurpose is not null && purposes.Count > 0 && !purposes.Contains(defaultPurpose, StringComparer.Ordinal))
        {
            errors.Add($"'default_purpose' '{defaultPurpose}' must be one of 'purposes'.");
        }

        if (request.Jurisdiction is { } j && (j.Length != 2 || !j.All(char.IsAsciiLetter)))
        {
            errors.Add($"'jurisdiction' must be an ISO 3166-1 alpha-2 country code (got '{j}').");
        }

        if (ExpiryError(request.ExpiresAt) is { } expiryError)
        {
            errors.Add(expiryError);
        }

        if (errors.Count > 0)
        {
            return AdminResult<(ApiKeyRecord, string)>.Fail(400, string.Join(" ", errors));
        }

        var team = await store.FindTeamAsync(request.Team!, cancellationToken).ConfigureAwait(false);
        if (team is null)
        {
            // A key for a team that does not exist yet creates the team (the quick start and the benchmark rely on it).
            var created = await CreateTeamAsync(request.Team, actor, cancellationToken).ConfigureAwait(false);
            team = created.Value ?? await store.FindTeamAsync(request.Team!, cancellationToken).ConfigureAwait(false);
            if (team is null)
            {
                return AdminResult<(ApiKeyRecord, string)>.Fail(400, created.Error ?? "The team could not be created.");
            }
        }

        var secret = KeySecrets.NewSecret();
        var key = new ApiKeyRecord
        {
            Id = KeySecrets.NewId("key_"),
            TeamId = team.Id,
            Hash = KeySecrets.Hash(secret),
            Prefix = secret[..7],
            Purposes = purposes,
            DefaultPurpose = defaultPurpose!,
            Jurisdiction = request.Jurisdiction?.ToUpperInvariant(),
            Models = request.Models is { Count: > 0 } m ? m : null,
            Name = request.Name,
            CreatedAt = time.GetUtcNow(),
            ExpiresAt = request.ExpiresAt?.ToUniversalTime(),
        };
        await store.CreateKeyAsync(key, cancellationToken).ConfigureAwait(false);
        registry?.Upsert(key);
        var expiry = key.ExpiresAt is { } at ? $"; expires {at:yyyy-MM-ddTHH:mm:ssZ}" : "";
        await AuditAsync("key.create", actor, "key", key.Id, $"created key for team {team.Name} with purposes {string.Join(",", purposes)}{expiry}").ConfigureAwait(false);
        return AdminResult<(ApiKeyRecord, string)>.Success((key, secret));
    }

    /// <summary>Revokes a key (terminal).</summary>
    public async Task<AdminResult<ApiKeyRecord>> RevokeKeyAsync(string id, string actor, string? reason, CancellationToken cancellationToken = default)
    {
        var key = await store.GetKeyAsync(id, cancellationToken).ConfigureAwait(false);
        if (key is null)
        {
            return AdminResult<ApiKeyRecord>.Fail(404, $"No key with id '{id}'.");
        }

        if (key.State == "revoked")
        {
            return AdminResult<ApiKeyRecord>.Success(key);
        }

        await store.SetEntityStateAsync("key", id, "revoked", null, cancellationToken).ConfigureAwait(false);
        await store.AppendHistoryAsync(new HistoryEntry
        {
            EntityType = "key", EntityId = id, At = time.GetUtcNow(), Event = "revoke", From = key.State, To = "revoked", Actor = actor, Reason = reason,
        }, cancellationToken).ConfigureAwait(false);
        var revoked = key with { State = "revoked" };
        registry?.Upsert(revoked);
        if (notifier is not null)
        {
            // Other instances drop their cached key at once (Redis pub/sub); without a bus they see it on their next poll.
            await notifier.PublishAsync(new Charter.Accounting.ChangeNotification(Charter.Accounting.ChangeEntity.Key, id, Charter.Accounting.ChangeKind.Revoked), cancellationToken).ConfigureAwait(false);
        }

        await AuditAsync("transition", actor, "key", id, reason ?? "revoked", key.State, "revoked").ConfigureAwait(false);
        return AdminResult<ApiKeyRecord>.Success(revoked);
    }

    /// <summary>Longest grace period a rotation may give the previous secret.</summary>
    public static readonly TimeSpan MaxRotationGrace = TimeSpan.FromDays(7);

    /// <summary>Gives a key a new secret, keeping its id, purposes, limits, lifecycle and history; the old secret is accepted
    /// for <paramref name="grace"/> more (zero: refused at once), so that clients can be moved over.</summary>
    public async Task<AdminResult<(ApiKeyRecord Key, string Secret)>> RotateKeyAsync(string id, TimeSpan grace, string actor, CancellationToken cancellationToken = default)
    {
        if (grace < TimeSpan.Zero || grace > MaxRotationGrace)
        {
            return AdminResult<(ApiKeyRecord, string)>.Fail(400, $"'grace_seconds' must be from 0 to {(long)MaxRotationGrace.TotalSeconds} (7 days).");
        }

        var key = await store.GetKeyAsync(id, cancellationToken).ConfigureAwait(false);
        if (key is null)
        {
            return AdminResult<(ApiKeyRecord, string)>.Fail(404, $"No key with id '{id}'.");
        }

        if (key.State is "revoked" or "banned")
        {
            return AdminResult<(ApiKeyRecord, string)>.Fail(409, $"The key {id} is {key.State}; a {key.State} key is not given a new secret.");
        }

        var secret = KeySecrets.NewSecret();
        var now = time.GetUtcNow();
        var rotated = key with
        {
            Hash = KeySecrets.Hash(secret),
            Prefix = secret[..7],
            PreviousHash = grace > TimeSpan.Zero ? key.Hash : null,
            PreviousExpiresAt = grace > TimeSpan.Zero ? now + grace : null,
        };
        if (!await store.RotateKeyAsync(id, rotated.Hash, rotated.Prefix, rotated.PreviousHash, rotated.PreviousExpiresAt, cancellationToken).ConfigureAwait(false))
        {
            return AdminResult<(ApiKeyRecord, string)>.Fail(404, $"No key with id '{id}'.");
        }

        registry?.Upsert(rotated);
        var reason = grace > TimeSpan.Zero ? $"new secret; the previous one is accepted until {rotated.PreviousExpiresAt:yyyy-MM-ddTHH:mm:ssZ}" : "new secret; the previous one is refused";
        await store.AppendHistoryAsync(new HistoryEntry
        {
            EntityType = "key", EntityId = id, At = now, Event = "rotate", From = key.State, To = key.State, Actor = actor, Reason = reason,
        }, cancellationToken).ConfigureAwait(false);
        if (notifier is not null)
        {
            await notifier.PublishAsync(new Charter.Accounting.ChangeNotification(Charter.Accounting.ChangeEntity.Key, id, Charter.Accounting.ChangeKind.Changed), cancellationToken).ConfigureAwait(false);
        }

        await AuditAsync("key.rotate", actor, "key", id, reason).ConfigureAwait(false);
        return AdminResult<(ApiKeyRecord, string)>.Success((rotated, secret));
    }

    /// <summary>Creates an admin key with a role.</summary>
    public async Task<AdminResult<(AdminKeyRecord Key, string Secret)>> CreateAdminKeyAsync(string? role, string? name, DateTimeOffset? expiresAt, string actor,
        CancellationToken cancellationToken = default)
    {
        if (role is not ("admin" or "auditor"))
        {
            return AdminResult<(AdminKeyRecord, string)>.Fail(400, $"'role' must be 'admin' or 'auditor' (got '{role}').");
        }

        if (name is { Length: > 100 })
        {
            return AdminResult<(AdminKeyRecord, string)>.Fail(400, "'name' must be at most 100 characters.");
        }

        if (ExpiryError(expiresAt) is { } expiryError)
        {
            return AdminResult<(AdminKeyRecord, string)>.Fail(400, expiryError);
        }

        var secret = KeySecrets.NewSecret("cka-");
        var key = new AdminKeyRecord
        {
            Id = KeySecrets.NewId("adm_"),
            Hash = KeySecrets.Hash(secret),
            Role = role,
            Name = name,
            CreatedAt = time.GetUtcNow(),
            CreatedBy = actor,
            ExpiresAt = expiresAt?.ToUniversalTime(),
        };
        await store.CreateAdminKeyAsync(key, cancellationToken).ConfigureAwait(false);
        await AuditAsync("admin_key.create", actor, "admin_key", key.Id, $"created {role} key{(name is null ? "" : $" '{name}'")}").ConfigureAwait(false);
        return AdminResult<(AdminKeyRecord, string)>.Success((key, secret));
    }

    /// <summary>Revokes an admin key (terminal; the bootstrap key is configuration, not stored, and cannot be revoked here).</summary>
    public async Task<AdminResult<AdminKeyRecord>> RevokeAdminKeyAsync(string id, string actor, CancellationToken cancellationToken = default)
    {
        if (id == AdminAuthenticator.BootstrapId)
        {
            return AdminResult<AdminKeyRecord>.Fail(400, "The bootstrap admin key comes from CHARTER_ADMIN_KEY; change or unset it there and restart.");
        }

        var key = (await store.ListAdminKeysAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(k => k.Id == id);
        if (key is null)
        {
            return AdminResult<AdminKeyRecord>.Fail(404, $"No admin key with id '{id}'.");
        }

        if (key.RevokedAt is not null)
        {
            return AdminResult<AdminKeyRecord>.Success(key);
        }

        var at = time.GetUtcNow();
        await store.RevokeAdminKeyAsync(id, at, cancellationToken).ConfigureAwait(false);
        admins?.Forget(key.Hash);
        if (notifier is not null)
        {
            await notifier.PublishAsync(new Charter.Accounting.ChangeNotification(Charter.Accounting.ChangeEntity.AdminKey, id, Charter.Accounting.ChangeKind.Revoked),
                cancellationToken).ConfigureAwait(false);
        }

        await AuditAsync("admin_key.revoke", actor, "admin_key", id, $"revoked {key.Role} key").ConfigureAwait(false);
        return AdminResult<AdminKeyRecord>.Success(key with { RevokedAt = at });
    }

    /// <summary>Maps an admin key to its DTO (never the secret).</summary>
    public AdminKeyInfoDto ToDto(AdminKeyRecord k) =>
        new(k.Id, k.Role, k.Name, k.RevokedAt is not null ? "revoked" : k.ExpiresAt is { } e && e <= time.GetUtcNow() ? "expired" : "active",
            k.CreatedAt, k.CreatedBy, k.ExpiresAt, k.RevokedAt);

    /// <summary>Maps a key to its DTO.</summary>
    public static KeyDto ToDto(ApiKeyRecord k, string? secret = null) =>
        new(k.Id, k.TeamId, k.Prefix, k.Purposes, k.DefaultPurpose, k.Jurisdiction, k.Models, k.Name, k.State, k.CreatedAt) { Key = secret, ExpiresAt = k.ExpiresAt, PreviousKeyExpiresAt = k.PreviousExpiresAt };

    /// <summary>Maps a team to its DTO.</summary>
    public static TeamDto ToDto(TeamRecord t) => new(t.Id, t.Name, t.State, t.CreatedAt);

    private string? ExpiryError(DateTimeOffset? expiresAt) =>
        expiresAt is { } e && e <= time.GetUtcNow() ? $"'expires_at' must be in the future (got {e.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ})." : null;

    private async Task AuditAsync(string kind, string actor, string entityType, string entityId, string reason, string? from = null, string? to = null)
    {
        if (journal is null)
        {
            return;
        }

        await journal.AppendAsync(new JournalEvent
        {
            Kind = kind == "transition" ? "transition" : "admin",
            Id = KeySecrets.NewId("evt_"),
            Ts = time.GetUtcNow(),
            Actor = actor,
            EntityType = entityType,
            EntityId = entityId,
            Reason = reason,
            Detail = from is null ? kind : $"{{\"event\":\"{kind}\",\"from\":\"{from}\",\"to\":\"{to}\"}}",
        }).ConfigureAwait(false);
    }
}
