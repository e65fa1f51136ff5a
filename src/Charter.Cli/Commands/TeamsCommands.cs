// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.CommandLine;
using System.Text.Json;
using Charter.Admin;
using Spectre.Console;

namespace Charter.Cli.Commands;

/// <summary><c>charter teams create|list|limits</c>.</summary>
internal static class TeamsCommands
{
    public static Command Create()
    {
        var db = CommonOptions.Db();
        var json = CommonOptions.Json();
        var name = new Argument<string>("name") { Description = "Team name" };
        var create = new Command("create", "Create a team") { name, db, json };
        create.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var store = await CommonOptions.OpenStoreAsync(pr.GetValue(db)!, ct).ConfigureAwait(false);
            var admin = new AdminService(store, TimeProvider.System);
            var r = await admin.CreateTeamAsync(pr.GetValue(name), "cli", ct).ConfigureAwait(false);
            if (!r.Ok)
            {
                await Console.Error.WriteLineAsync(r.Error).ConfigureAwait(false);
                return 1;
            }

            if (pr.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(AdminService.ToDto(r.Value!), AdminJsonContext.Default.TeamDto));
            }
            else
            {
                AnsiConsole.MarkupLine($"created team [bold]{Markup.Escape(r.Value!.Name)}[/] ({r.Value.Id})");
            }

            return 0;
        });

        var list = new Command("list", "List teams") { db, json };
        list.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var store = await CommonOptions.OpenStoreAsync(pr.GetValue(db)!, ct).ConfigureAwait(false);
            var teams = await store.ListTeamsAsync(ct).ConfigureAwait(false);
            if (pr.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new ListDto<TeamDto>([.. teams.Select(AdminService.ToDto)]), AdminJsonContext.Default.ListDtoTeamDto));
                return 0;
            }

            var table = new Table().AddColumns("id", "name", "state", "created");
            foreach (var t in teams)
            {
                table.AddRow(t.Id, Markup.Escape(t.Name), t.State, t.CreatedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            return 0;
        });
        var teams = new Command("teams", "Manage teams") { create, list, KeysCommands.CreateLimits(Charter.Accounting.LimitScope.Team, db) };
        LifecycleCommands.AddTo(teams, Charter.Policy.Lifecycle.EntityKind.Team, db);
        return teams;
    }
}
