// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Charter.Storage;
using Charter.Storage.Sqlite;
using Spectre.Console;

namespace Charter.Cli.Commands;

/// <summary><c>charter detect findings</c>: findings the online detector raised.</summary>
internal static class FindingsCommand
{
    public static Command Create()
    {
        var db = CommonOptions.Db();
        var json = CommonOptions.Json();
        var limit = new Option<int>("--limit") { Description = "Most findings to show", DefaultValueFactory = _ => 100 };
        var cmd = new Command("findings", "List harvesting findings (newest first)") { db, json, limit };
        cmd.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var path = pr.GetValue(db)!;
            await using var gateway = StoreFactory.IsPostgres(path) ? new Charter.Storage.Postgres.PostgresGatewayStore(path) : null;
            Charter.Detection.IFindingStore store = gateway is not null ? new Charter.Storage.Postgres.PostgresFindingStore(gateway) : new SqliteFindingStore(new SqliteGatewayStore(path));
            var list = await store.ListAsync(pr.GetValue(limit), ct).ConfigureAwait(false);
            if (pr.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(list.ToList(), FindingJsonContext.Default.ListFindingRecord));
                return 0;
            }

            var table = new Table().AddColumns("crossed at", "subject", "id", "team", "risk", "action", "top signals", "sample requests");
            foreach (var f in list)
            {
                table.AddRow(f.CrossedAt.ToString("u", CultureInfo.InvariantCulture), f.SubjectKind, Markup.Escape(f.SubjectId), Markup.Escape(f.Team),
                    f.Risk.ToString("0.00", CultureInfo.InvariantCulture), f.Action, Markup.Escape(string.Join(", ", f.TopSignals)),
                    Markup.Escape(string.Join(", ", f.SampleRequestIds.Take(3))));
            }

            AnsiConsole.Write(table);
            return 0;
        });
        return cmd;
    }
}
