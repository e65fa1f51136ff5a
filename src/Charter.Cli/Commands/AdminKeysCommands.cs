// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Charter.Admin;
using Spectre.Console;

namespace Charter.Cli.Commands;

/// <summary><c>charter admin-keys create|list|revoke</c>: keys for the admin API (role admin or auditor), never user keys.</summary>
internal static class AdminKeysCommands
{
    public static Command Create()
    {
        var db = CommonOptions.Db();
        var json = CommonOptions.Json();
        var role = new Option<string>("--role") { Description = "admin (read and write) or auditor (read-only)", Required = true };
        role.AcceptOnlyFromAmong("admin", "auditor");
        var name = new Option<string?>("--name") { Description = "Display name" };
        var expires = CommonOptions.Expires();
        var create = new Command("create", "Create an admin or auditor key; the secret is printed once") { role, name, expires, db, json };
        create.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var store = await CommonOptions.OpenStoreAsync(pr.GetValue(db)!, ct).ConfigureAwait(false);
            var admin = new AdminService(store, TimeProvider.System);
            var r = await admin.CreateAdminKeyAsync(pr.GetValue(role), pr.GetValue(name), pr.GetValue(expires), "cli", ct).ConfigureAwait(false);
            if (!r.Ok)
            {
                await Console.Error.WriteLineAsync(r.Error).ConfigureAwait(false);
                return 1;
            }

            var dto = new AdminKeyDto(r.Value.Key.Id, r.Value.Key.Role, r.Value.Key.Name, r.Value.Secret) { ExpiresAt = r.Value.Key.ExpiresAt };
            if (pr.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(dto, AdminJsonContext.Default.AdminKeyDto));
            }
            else
            {
                AnsiConsole.MarkupLine($"created {dto.Role} key [bold]{dto.Id}[/]" + (dto.ExpiresAt is { } at ? $"; expires {Time(at)}" : ""));
                AnsiConsole.MarkupLine("secret (shown once, store it now):");
                Console.WriteLine(dto.Key);
            }

            return 0;
        });

        var list = new Command("list", "List admin and auditor keys (never secrets; the bootstrap key from CHARTER_ADMIN_KEY is not stored)") { db, json };
        list.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var store = await CommonOptions.OpenStoreAsync(pr.GetValue(db)!, ct).ConfigureAwait(false);
            var admin = new AdminService(store, TimeProvider.System);
            var keys = (await store.ListAdminKeysAsync(ct).ConfigureAwait(false)).Select(admin.ToDto).ToList();
            if (pr.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new ListDto<AdminKeyInfoDto>(keys), AdminJsonContext.Default.ListDtoAdminKeyInfoDto));
                return 0;
            }

            var table = new Table().AddColumns("id", "role", "name", "state", "created", "by", "expires");
            foreach (var k in keys)
            {
                table.AddRow(k.Id, k.Role, Markup.Escape(k.Name ?? ""), k.State, Time(k.CreatedAt), Markup.Escape(k.CreatedBy ?? ""), k.ExpiresAt is { } e ? Time(e) : "");
            }

            AnsiConsole.Write(table);
            return 0;
        });

        var id = new Argument<string>("id") { Description = "Admin key id (adm_…)" };
        var revoke = new Command("revoke", "Revoke an admin or auditor key (terminal; a running gateway refuses it within a second)") { id, db, json };
        revoke.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var store = await CommonOptions.OpenStoreAsync(pr.GetValue(db)!, ct).ConfigureAwait(false);
            var admin = new AdminService(store, TimeProvider.System);
            var r = await admin.RevokeAdminKeyAsync(pr.GetValue(id)!, "cli", ct).ConfigureAwait(false);
            if (!r.Ok)
            {
                await Console.Error.WriteLineAsync(r.Error).ConfigureAwait(false);
                return 1;
            }

            Console.WriteLine(pr.GetValue(json) ? JsonSerializer.Serialize(admin.ToDto(r.Value!), AdminJsonContext.Default.AdminKeyInfoDto) : $"revoked {r.Value!.Id}");
            return 0;
        });

        return new Command("admin-keys", "Manage admin API keys (roles admin and auditor)") { create, list, revoke };
    }

    private static string Time(DateTimeOffset t) => t.ToString("u", CultureInfo.InvariantCulture);
}
