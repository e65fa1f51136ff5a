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

    /// <summary>Changes a key's name, purposes, default purpose, jurisdiction, model allow-list or expiry: the members present
    /// in <paramref name="changes"/> (a JSON object; <c>null</c> clears a name, jurisdiction, allow-list or expiry), the
    /// others kept. Checked as at creation; takes effect on this instance at once and on the others within a second.</summary>
    public async Task<AdminResult<ApiKeyRecord>> UpdateKeyAsync(string id, System.Text.Json.JsonElement changes, string actor, CancellationToken cancellationToken = default)
    {
        if (changes.ValueKind != System.Text.Json.JsonValueKind.Object)
        {
            return AdminResult<ApiKeyRecord>.Fail(400, "The body must be a JSON object of the members to change.");
        }

        var key = await store.GetKeyAsync(id, cancellationToken).ConfigureAwait(false);
        if (key is null)
        {
            return AdminResult<ApiKeyRecord>.Fail(404, $"No key with id '{id}'.");
        }

        if (key.State is "revoked" or "banned")
        {
            return AdminResult<ApiKeyRecord>.Fail(409, $"The key {id} is {key.State}; it is not changed any more.");
        }

        var errors = new List<string>();
        var changed = new List<string>();
        var updated = key;
        foreach (var member in changes.EnumerateObject())
        {
            var v = member.Value;
            var isNull = v.ValueKind == System.Text.Json.JsonValueKind.Null;
            switch (member.Name)
            {
                case "name" when isNull || v.ValueKind == System.Text.Json.JsonValueKind.String && v.GetString()!.Length <= 100:
                    updated = updated with { Name = isNull ? null : v.GetString() };
                    break;
                case "purposes" when StringList(v) is { Count: > 0 } purposes:
                    updated = updated with { Purposes = purposes };
                    break;
                case "default_purpose" when v.ValueKind == System.Text.Json.JsonValueKind.String:
                    updated = updated with { DefaultPurpose = v.GetString()!.Trim() };
                    break;
                case "jurisdiction" when isNull || v.ValueKind == System.Text.Json.JsonValueKind.String && v.GetString() is { Length: 2 } j && j.All(char.IsAsciiLetter):
                    updated = updated with { Jurisdiction = isNull ? null : v.GetString()!.ToUpperInvariant() };
                    break;
                case "models" when isNull || StringList(v) is not null:
                    updated = updated with { Models = isNull ? null : StringList(v) is { Count: > 0 } models ? models : null };
                    break;
                case "expires_at" when isNull || v.ValueKind == System.Text.Json.JsonValueKind.String && v.TryGetDateTimeOffset(out _):
                    var expires = isNull ? (DateTimeOffset?)null : v.GetDateTimeOffset().ToUniversalTime();
                    if (ExpiryError(expires) is { } expiryError)
                    {
                        errors.Add(expiryError);
                    }

                    updated = updated with { ExpiresAt = expires };
                    break;
                case "name" or "purposes" or "default_purpose" or "jurisdiction" or "models" or "expires_at":
                    errors.Add(member.Name switch
                    {
                        "name" => "'name' must be a string of at most 100 characters, or null.",
                        "purposes" => "'purposes' must be a non-empty array of strings.",
                        "default_purpose" => "'default_purpose' must be a string.",
                        "jurisdiction" => "'jurisdiction' must be an ISO 3166-1 alpha-2 country code, or null.",
                        "models" => "'models' must be an array of strings, or null for every model.",
                        _ => "'expires_at' must be an RFC 3339 time, or null for never.",
                    });
                    break;
                default:
                    errors.Add($"'{member.Name}' cannot be changed (changeable: name, purposes, default_purpose, jurisdiction, models, expires_at; "
                        + "a new secret: POST /admin/v1/keys/{id}/rotate).");
                    break;
            }

            changed.Add(member.Name);
        }

        if (changes.TryGetProperty("purposes", out _) && !changes.TryGetProperty("default_purpose", out _)
            && !updated.Purposes.Contains(updated.DefaultPurpose, StringComparer.Ordinal) && updated.Purposes.Count > 0)
        {
            // Narrowing the purposes past the default moves the default to the first purpose left, as creation would.
            updated = updated with { DefaultPurpose = updated.Purposes[0] };
        }

        if (!updated.Purposes.Contains(updated.DefaultPurpose, StringComparer.Ordinal))
        {
            errors.Add($"'default_purpose' '{updated.DefaultPurpose}' must be one of 'purposes' ({string.Join(", ", updated.Purposes)}).");
        }

        if (errors.Count > 0)
        {
            return AdminResult<ApiKeyRecord>.Fail(400, string.Join(" ", errors));
        }

        if (changed.Count == 0)
        {
            return AdminResult<ApiKeyRecord>.Success(key);
        }

        await store.UpdateKeyAsync(updated, cancellationToken).ConfigureAwait(false);
        registry?.Upsert(updated);
        var summary = Describe(key, updated);
        await store.AppendHistoryAsync(new HistoryEntry
        {
            EntityType = "key", EntityId = id, At = time.GetUtcNow(), Event = "update", From = key.State, To = key.State, Actor = actor, Reason = summary,
        }, cancellationToken).ConfigureAwait(false);
        if (notifier is not null)
        {
            await notifier.PublishAsync(new Charter.Accounting.ChangeNotification(Charter.Accounting.ChangeEntity.Key, id, Charter.Accounting.ChangeKind.Changed), cancellationToken).ConfigureAwait(false);
        }

        await AuditAsync("key.update", actor, "key", id, summary).ConfigureAwait(false);
        return AdminResult<ApiKeyRecord>.Success(updated);

        static List<string>? StringList(System.Text.Json.JsonElement v)
        {
            if (v.ValueKind != System.Text.Json.JsonValueKind.Array || v.EnumerateArray().Any(e => e.ValueKind != System.Text.Json.JsonValueKind.String))
            {
                return null;
            }

            return [.. v.EnumerateArray().Select(e => e.GetString()!.Trim()).Where(e => e.Length > 0).Distinct(StringComparer.Ordinal)];
        }
    }

    // "purposes evaluation,testing → evaluation; models all → gpt-4o": what an update changed, for the history and the audit log.
    private static string Describe(ApiKeyRecord before, ApiKeyRecord after)
    {
        var parts = new List<string>();
        Add("name", before.Name, after.Name);
        Add("purposes", string.Join(",", before.Purposes), string.Join(",", after.Purposes));
        Add("default_purpose", before.DefaultPurpose, after.DefaultPurpose);
        Add("jurisdiction", before.Jurisdiction, after.Jurisdiction);
        Add("models", before.Models is null ? null : string.Join(",", before.Models), after.Models is null ? null : string.Join(",", after.Models));
        Add("expires_at", before.ExpiresAt?.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            after.ExpiresAt?.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
        return parts.Count == 0 ? "no change" : string.Join("; ", parts);

        void Add(string name, string? from, string? to)
        {
            if (!string.Equals(from, to, StringComparison.Ordinal))
            {
                parts.Add($"{name} {from ?? (name == "models" ? "all" : "none")} → {to ?? (name == "models" ? "all" : "none")}");
            }
        }
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
