// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.CommandLine;
using System.Text.Json;
using Charter.Admin;
using Spectre.Console;

namespace Charter.Cli.Commands;

/// <summary><c>charter keys create|list|revoke|limits</c>.</summary>
internal static partial class KeysCommands
{
    public static Command Create()
    {
        var db = CommonOptions.Db();
        var json = CommonOptions.Json();
        var team = new Option<string>("--team") { Description = "Team name or id (created when missing)", Required = true };
        var purposes = new Option<string[]>("--purpose") { Description = "A purpose the key may declare (repeat for several)", Required = true, AllowMultipleArgumentsPerToken = true };
        var defaultPurpose = new Option<string?>("--default-purpose") { Description = "Purpose used when a request declares none (default: the first)" };
        var jurisdiction = new Option<string?>("--jurisdiction") { Description = "ISO country code of the key's users" };
        var models = new Option<string[]>("--model") { Description = "Allowed model (repeat; default all)", AllowMultipleArgumentsPerToken = true };
        var name = new Option<string?>("--name") { Description = "Display name" };
        var expires = CommonOptions.Expires();
        var create = new Command("create", "Create a key; the secret is printed once") { team, purposes, defaultPurpose, jurisdiction, models, name, expires, db, json };
        create.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var store = await CommonOptions.OpenStoreAsync(pr.GetValue(db)!, ct).ConfigureAwait(false);
            var admin = new AdminService(store, TimeProvider.System);
            var r = await admin.CreateKeyAsync(new CreateKeyRequest(pr.GetValue(team), pr.GetValue(purposes), pr.GetValue(defaultPurpose),
                pr.GetValue(jurisdiction), pr.GetValue(models) is { Length: > 0 } m ? m : null, pr.GetValue(name)) { ExpiresAt = pr.GetValue(expires) }, "cli", ct).ConfigureAwait(false);
            if (!r.Ok)
            {
                await Console.Error.WriteLineAsync(r.Error).ConfigureAwait(false);
                return 1;
            }

            var dto = AdminService.ToDto(r.Value.Key, r.Value.Secret);
            return PrintWithSecret(dto, pr.GetValue(json),
                $"created key [bold]{dto.Id}[/] for team {dto.Team}; purposes {Markup.Escape(string.Join(", ", dto.Purposes))}"
                + (dto.ExpiresAt is { } at ? $"; expires {at.ToString("u", System.Globalization.CultureInfo.InvariantCulture)}" : ""));
        });

        var list = new Command("list", "List keys (never secrets)") { db, json };
        list.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var store = await CommonOptions.OpenStoreAsync(pr.GetValue(db)!, ct).ConfigureAwait(false);
            var keys = await store.ListKeysAsync(ct).ConfigureAwait(false);
            if (pr.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new ListDto<KeyDto>([.. keys.Select(k => AdminService.ToDto(k))]), AdminJsonContext.Default.ListDtoKeyDto));
                return 0;
            }

            var table = new Table().AddColumns("id", "team", "prefix", "purposes", "default", "jurisdiction", "state", "expires");
            var now = TimeProvider.System.GetUtcNow();
            foreach (var k in keys)
            {
                table.AddRow(k.Id, k.TeamId, k.Prefix + "…", Markup.Escape(string.Join(",", k.Purposes)), k.DefaultPurpose, k.Jurisdiction ?? "",
                    k.State == "active" && k.IsExpired(now) ? "expired" : k.State,
                    k.ExpiresAt?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "");
            }

            AnsiConsole.Write(table);
            return 0;
        });

        var id = new Argument<string>("id") { Description = "Key id" };
        var reason = new Option<string?>("--reason") { Description = "Why (recorded in the key's history)" };
        var revoke = new Command("revoke", "Revoke a key (terminal)") { id, reason, db, json };
        revoke.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var store = await CommonOptions.OpenStoreAsync(pr.GetValue(db)!, ct).ConfigureAwait(false);
            var admin = new AdminService(store, TimeProvider.System);
            var r = await admin.RevokeKeyAsync(pr.GetValue(id)!, "cli", pr.GetValue(reason) ?? "revoked with the CLI", ct).ConfigureAwait(false);
            if (!r.Ok)
            {
                await Console.Error.WriteLineAsync(r.Error).ConfigureAwait(false);
                return 1;
            }

            Console.WriteLine(pr.GetValue(json) ? JsonSerializer.Serialize(AdminService.ToDto(r.Value!), AdminJsonContext.Default.KeyDto) : $"revoked {r.Value!.Id}");
            return 0;
        });

        var rotateId = new Argument<string>("id") { Description = "Key id" };
        var grace = new Option<TimeSpan>("--grace")
        {
            Description = "How long the old secret keeps working (0, 90s, 30m, 12h, 7d; at most 7d)",
            DefaultValueFactory = _ => TimeSpan.Zero,
            CustomParser = r =>
            {
                var value = CommonOptions.ParseDuration(r.Tokens.Count > 0 ? r.Tokens[0].Value : null);
                if (value is null)
                {
                    r.AddError("--grace takes 0 or a duration such as 90s, 30m, 12h or 7d.");
                }

                return value ?? TimeSpan.Zero;
            },
        };
        var rotate = new Command("rotate", "Give a key a new secret (printed once), keeping its id, purposes, limits and history") { rotateId, grace, db, json };
        rotate.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var store = await CommonOptions.OpenStoreAsync(pr.GetValue(db)!, ct).ConfigureAwait(false);
            var admin = new AdminService(store, TimeProvider.System);
            var r = await admin.RotateKeyAsync(pr.GetValue(rotateId)!, pr.GetValue(grace), "cli", ct).ConfigureAwait(false);
            if (!r.Ok)
            {
                await Console.Error.WriteLineAsync(r.Error).ConfigureAwait(false);
                return 1;
            }

            var dto = AdminService.ToDto(r.Value.Key, r.Value.Secret);
            return PrintWithSecret(dto, pr.GetValue(json), $"rotated key [bold]{dto.Id}[/]; " + (dto.PreviousKeyExpiresAt is { } until
                ? $"the old secret works until {until.ToString("u", System.Globalization.CultureInfo.InvariantCulture)}"
                : "the old secret no longer works"));
        });

        var update = CreateUpdate(db, json);
        var keys = new Command("keys", "Manage user keys") { create, list, update, revoke, rotate, CreateLimits(Charter.Accounting.LimitScope.Key, db) };
        AddLifecycle(keys, db);
        return keys;
    }

    static partial void AddLifecycle(Command keys, Option<string> db);

    // A key with its secret, shown once: as JSON, or a summary line (markup) and the secret alone on the next line.
    private static int PrintWithSecret(KeyDto dto, bool json, string summary)
    {
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(dto, AdminJsonContext.Default.KeyDto));
            return 0;
        }

        AnsiConsole.MarkupLine(summary);
        AnsiConsole.MarkupLine("secret (shown once, store it now):");
        Console.WriteLine(dto.Key);
        return 0;
    }

    private static Command CreateUpdate(Option<string> db, Option<bool> json)
    {
        var id = new Argument<string>("id") { Description = "Key id" };
        var name = new Option<string?>("--name") { Description = "New display name (\"\" clears it)" };
        var purposes = new Option<string[]>("--purpose") { Description = "The purposes the key may declare from now on (repeat; replaces the list)", AllowMultipleArgumentsPerToken = true };
        var defaultPurpose = new Option<string?>("--default-purpose") { Description = "Purpose used when a request declares none" };
        var jurisdiction = new Option<string?>("--jurisdiction") { Description = "ISO country code of the key's users (none clears it)" };
        var models = new Option<string[]>("--model") { Description = "The models the key may use from now on (repeat; replaces the list)", AllowMultipleArgumentsPerToken = true };
        var allModels = new Option<bool>("--all-models") { Description = "Let the key use every model (clears the allow-list)" };
        var expires = new Option<string?>("--expires") { Description = "New expiry: a duration from now (90d, 12h, 30m), a time, or never" };
        var update = new Command("update", "Change a key's name, purposes, default purpose, jurisdiction, models or expiry (recorded in its history and the audit log)")
        {
            id, name, purposes, defaultPurpose, jurisdiction, models, allModels, expires, db, json,
        };
        update.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var changes = new System.Text.Json.Nodes.JsonObject();
            if (pr.GetValue(name) is { } n)
            {
                changes["name"] = n.Length == 0 ? null : n;
            }

            if (pr.GetValue(purposes) is { Length: > 0 } p)
            {
                changes["purposes"] = new System.Text.Json.Nodes.JsonArray([.. p.Select(x => (System.Text.Json.Nodes.JsonNode?)x)]);
            }

            if (pr.GetValue(defaultPurpose) is { } dp)
            {
                changes["default_purpose"] = dp;
            }

            if (pr.GetValue(jurisdiction) is { } j)
            {
                changes["jurisdiction"] = j is "none" or "" ? null : j;
            }

            if (pr.GetValue(allModels))
            {
                changes["models"] = null;
            }
            else if (pr.GetValue(models) is { Length: > 0 } m)
            {
                changes["models"] = new System.Text.Json.Nodes.JsonArray([.. m.Select(x => (System.Text.Json.Nodes.JsonNode?)x)]);
            }

            if (pr.GetValue(expires) is { } e)
            {
                if (e == "never")
                {
                    changes["expires_at"] = null;
                }
                else if (CommonOptions.ParseExpiry(e, TimeProvider.System.GetUtcNow(), out var error) is { } at)
                {
                    changes["expires_at"] = at.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
                }
                else
                {
                    await Console.Error.WriteLineAsync(error).ConfigureAwait(false);
                    return 1;
                }
            }

            if (changes.Count == 0)
            {
                await Console.Error.WriteLineAsync("Nothing to change: give at least one of --name, --purpose, --default-purpose, --jurisdiction, --model, --all-models, --expires.").ConfigureAwait(false);
                return 1;
            }

            var store = await CommonOptions.OpenStoreAsync(pr.GetValue(db)!, ct).ConfigureAwait(false);
            var admin = new AdminService(store, TimeProvider.System);
            using var body = JsonDocument.Parse(changes.ToJsonString());
            var r = await admin.UpdateKeyAsync(pr.GetValue(id)!, body.RootElement, "cli", ct).ConfigureAwait(false);
            if (!r.Ok)
            {
                await Console.Error.WriteLineAsync(r.Error).ConfigureAwait(false);
                return 1;
            }

            Console.WriteLine(pr.GetValue(json) ? JsonSerializer.Serialize(AdminService.ToDto(r.Value!), AdminJsonContext.Default.KeyDto) : $"updated {r.Value!.Id}");
            return 0;
        });
        return update;
    }
}
