// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Charter.Storage.Postgres;
using Charter.Storage.Sqlite;
using Charter.UsageReports;
using Spectre.Console;

namespace Charter.Cli.Commands;

/// <summary><c>charter usage</c>: requests, tokens and spend from the request records, grouped.</summary>
internal static class UsageCommands
{
    public static Command Create()
    {
        var db = CommonOptions.Db();
        var json = CommonOptions.Json();
        var groupBy = new Option<string>("--group-by") { Description = $"Comma-separated subset of {UsageGrouping.Names}", DefaultValueFactory = _ => "team,model,purpose" };
        var from = new Option<string?>("--from") { Description = "Start (inclusive): yyyy-MM-dd or ISO 8601 time (UTC)" };
        var to = new Option<string?>("--to") { Description = "End (exclusive): yyyy-MM-dd or ISO 8601 time (UTC)" };
        var cmd = new Command("usage", "Requests, tokens and spend by key, team, model, purpose or day") { groupBy, from, to, json, db };
        cmd.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            if (!UsageGrouping.TryParse(pr.GetValue(groupBy), out var dims, out var error)
                || !UsageGrouping.TryParseTime(pr.GetValue(from), out var fromTs, out error)
                || !UsageGrouping.TryParseTime(pr.GetValue(to), out var toTs, out error))
            {
                await Console.Error.WriteLineAsync(error).ConfigureAwait(false);
                return 2;
            }

            var store = await CommonOptions.OpenStoreAsync(pr.GetValue(db)!, ct).ConfigureAwait(false);
            IReadOnlyList<UsageRow> rows;
            try
            {
                IUsageQuery query = store switch
                {
                    SqliteGatewayStore sqlite => new SqliteUsageQuery(sqlite),
                    PostgresGatewayStore postgres => new PostgresUsageQuery(postgres),
                    _ => throw new NotSupportedException($"No usage query for {store.GetType().Name}."),
                };
                rows = await query.QueryAsync(dims, fromTs, toTs, ct).ConfigureAwait(false);
            }
            finally
            {
                if (store is IAsyncDisposable disposable)
                {
                    await disposable.DisposeAsync().ConfigureAwait(false);
                }
            }

            var report = UsageReportDto.Create(dims, fromTs, toTs, rows);
            if (pr.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(report, UsageJsonContext.Default.UsageReportDto));
                return 0;
            }

            var table = new Table().Border(TableBorder.Rounded);
            foreach (var d in dims)
            {
                table.AddColumn(UsageGrouping.Name(d));
            }

            table.AddColumn(new TableColumn("requests").RightAligned());
            table.AddColumn(new TableColumn("prompt tokens").RightAligned());
            table.AddColumn(new TableColumn("completion tokens").RightAligned());
            table.AddColumn(new TableColumn("cost (USD)").RightAligned());
            foreach (var r in rows)
            {
                var cells = new List<string>();
                foreach (var d in dims)
                {
                    cells.Add(Markup.Escape(r.Get(d) ?? "-"));
                }

                cells.AddRange(Figures(r.Requests, r.PromptTokens, r.CompletionTokens, r.CostUsd));
                table.AddRow([.. cells]);
            }

            var total = new List<string>();
            for (var i = 0; i < dims.Count; i++)
            {
                total.Add(i == 0 ? "[bold]total[/]" : string.Empty);
            }

            var t = report.Total;
            var figures = Figures(t.Requests, t.PromptTokens, t.CompletionTokens, t.CostUsd);
            total.AddRange(dims.Count == 0 ? figures : figures.Select(f => "[bold]" + f + "[/]"));
            table.AddRow([.. total]);
            AnsiConsole.Write(table);
            return 0;
        });
        return cmd;
    }

    private static string[] Figures(long requests, long prompt, long completion, decimal cost) =>
    [
        requests.ToString("N0", CultureInfo.InvariantCulture),
        prompt.ToString("N0", CultureInfo.InvariantCulture),
        completion.ToString("N0", CultureInfo.InvariantCulture),
        cost.ToString("0.000000", CultureInfo.InvariantCulture),
    ];
}
