// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Charter.Accounting;
using Charter.Storage;
using Spectre.Console;

namespace Charter.Cli.Commands;

/// <summary><c>charter keys|teams limits &lt;id&gt; [--rpm N] [--tpm N] [--concurrent N] [--daily-budget USD]
/// [--monthly-budget USD] [--reset] [--json] [--db]</c>: shows or changes the own limits of a key or team in the database.</summary>
/// <remarks>Written straight into <c>limit_overrides</c> with a change-version bump: a running gateway on the same database
/// applies the change within its poll period (about half a second). Fields not given keep their value; a field never set
/// follows the gateway's configured defaults.</remarks>
internal static partial class KeysCommands
{
    internal static Command CreateLimits(LimitScope scope, Option<string> db)
    {
        var noun = scope == LimitScope.Team ? "team" : "key";
        var id = new Argument<string>("id") { Description = scope == LimitScope.Team ? "Team id or name" : "Key id" };
        var rpm = new Option<long?>("--rpm") { Description = "Requests per minute (0 = no limit)" };
        var tpm = new Option<long?>("--tpm") { Description = "Tokens per minute (0 = no limit)" };
        var concurrent = new Option<int?>("--concurrent") { Description = "Requests in flight at once (0 = no limit)" };
        var daily = new Option<decimal?>("--daily-budget") { Description = "USD per UTC day (0 = no limit)" };
        var monthly = new Option<decimal?>("--monthly-budget") { Description = "USD per UTC month (0 = no limit)" };
        var reset = new Option<bool>("--reset") { Description = $"Remove the {noun}'s own limits (back to the defaults)" };
        var json = CommonOptions.Json();
        var command = new Command("limits", $"Show or change the {noun}'s own limits (without options: show them)")
        {
            id, rpm, tpm, concurrent, daily, monthly, reset, json, db,
        };
        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var change = new OwnLimits(scope, "", pr.GetValue(rpm), pr.GetValue(tpm), pr.GetValue(concurrent), pr.GetValue(daily), pr.GetValue(monthly));
            var changes = change.RequestsPerMinute is not null || change.TokensPerMinute is not null || change.MaxConcurrentRequests is not null
                || change.DailyBudgetUsd is not null || change.MonthlyBudgetUsd is not null;
            if (change.RequestsPerMinute < 0 || change.TokensPerMinute < 0 || change.MaxConcurrentRequests < 0 || change.DailyBudgetUsd < 0 || change.MonthlyBudgetUsd < 0)
            {
                await Console.Error.WriteLineAsync("Limits and budgets must not be negative (0 = no limit).").ConfigureAwait(false);
                return 2;
            }

            if (changes && pr.GetValue(reset))
            {
                await Console.Error.WriteLineAsync("--reset cannot be combined with new values.").ConfigureAwait(false);
                return 2;
            }

            var store = await CommonOptions.OpenStoreAsync(pr.GetValue(db)!, ct).ConfigureAwait(false);
            try
            {
                IOwnLimitsStore? limits = store switch
                {
                    Charter.Storage.Sqlite.SqliteGatewayStore s => new Charter.Storage.Sqlite.SqliteLimitOverrideStore(s),
                    Charter.Storage.Postgres.PostgresGatewayStore p => new Charter.Storage.Postgres.PostgresLimitOverrideStore(p),
                    _ => null,
                };
                if (limits is null)
                {
                    await Console.Error.WriteLineAsync("This database cannot hold own limits.").ConfigureAwait(false);
                    return 1;
                }

                var raw = pr.GetValue(id)!;
                var resolved = scope == LimitScope.Team
                    ? (await store.FindTeamAsync(raw, ct).ConfigureAwait(false))?.Id
                    : (await store.GetKeyAsync(raw, ct).ConfigureAwait(false))?.Id;
                if (resolved is null)
                {
                    await Console.Error.WriteLineAsync($"No {noun} with id '{raw}'.").ConfigureAwait(false);
                    return 1;
                }

                if (pr.GetValue(reset))
                {
                    await limits.DeleteAsync(scope, resolved, ct).ConfigureAwait(false);
                }
                else if (changes)
                {
                    var current = await limits.GetAsync(scope, resolved, ct).ConfigureAwait(false) ?? new OwnLimits(scope, resolved);
                    await limits.PutAsync(current.Merge(change), ct).ConfigureAwait(false);
                }

                var row = await limits.GetAsync(scope, resolved, ct).ConfigureAwait(false);
                if (pr.GetValue(json))
                {
                    Console.WriteLine(LimitsJson(noun, resolved, row));
                }
                else
                {
                    WriteLimitsTable(noun, resolved, row);
                }

                return 0;
            }
            finally
            {
                if (store is IAsyncDisposable disposable)
                {
                    await disposable.DisposeAsync().ConfigureAwait(false);
                }
            }
        });
        return command;
    }

    private static void WriteLimitsTable(string noun, string id, OwnLimits? row)
    {
        AnsiConsole.MarkupLine(row is null
            ? $"{noun} [bold]{Markup.Escape(id)}[/] has no own limits: the gateway's defaults apply"
            : $"own limits of {noun} [bold]{Markup.Escape(id)}[/] (updated {row.UpdatedAt.ToString("u", CultureInfo.InvariantCulture)}; 0 = no limit)");
        if (row is null)
        {
            return;
        }

        var table = new Table().AddColumns("limit", "value");
        table.AddRow("requests_per_minute", Show(row.RequestsPerMinute));
        table.AddRow("tokens_per_minute", Show(row.TokensPerMinute));
        table.AddRow("max_concurrent_requests", Show(row.MaxConcurrentRequests));
        table.AddRow("daily_budget_usd", Show(row.DailyBudgetUsd));
        table.AddRow("monthly_budget_usd", Show(row.MonthlyBudgetUsd));
        AnsiConsole.Write(table);

        static string Show<T>(T? value) where T : struct, IFormattable =>
            value is { } v ? v.ToString(null, CultureInfo.InvariantCulture) : "[grey](default)[/]";
    }

    private static string LimitsJson(string noun, string id, OwnLimits? row)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("kind", noun);
            w.WriteString("id", id);
            w.WriteBoolean("own", row is not null);
            Number(w, "requests_per_minute", row?.RequestsPerMinute);
            Number(w, "tokens_per_minute", row?.TokensPerMinute);
            Number(w, "max_concurrent_requests", row?.MaxConcurrentRequests);
            if (row?.DailyBudgetUsd is { } d)
            {
                w.WriteNumber("daily_budget_usd", d);
            }
            else
            {
                w.WriteNull("daily_budget_usd");
            }

            if (row?.MonthlyBudgetUsd is { } m)
            {
                w.WriteNumber("monthly_budget_usd", m);
            }
            else
            {
                w.WriteNull("monthly_budget_usd");
            }

            if (row is not null)
            {
                w.WriteString("updated_at", row.UpdatedAt);
            }
            else
            {
                w.WriteNull("updated_at");
            }

            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());

        static void Number(Utf8JsonWriter w, string name, long? value)
        {
            if (value is { } v)
            {
                w.WriteNumber(name, v);
            }
            else
            {
                w.WriteNull(name);
            }
        }
    }
}
