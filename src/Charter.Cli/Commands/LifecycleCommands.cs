// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Charter.Admin;
using Charter.Policy.Lifecycle;
using Charter.Storage;
using Charter.Storage.Sqlite;
using Spectre.Console;

namespace Charter.Cli.Commands;

/// <summary><c>charter keys|teams|accounts suspend|reinstate|ban|review|complete-measure|place-hold|clear-hold|history</c>.</summary>
internal static class LifecycleCommands
{
    /// <summary>The <c>accounts</c> command (provider accounts have no other commands yet).</summary>
    public static Command CreateAccounts()
    {
        var accounts = new Command("accounts", "Lifecycle of provider accounts (suspend, reinstate, ban, holds, history)");
        AddTo(accounts, EntityKind.Account, CommonOptions.Db());
        return accounts;
    }

    /// <summary>Adds the lifecycle sub-commands for <paramref name="kind"/> to <paramref name="parent"/>.</summary>
    public static void AddTo(Command parent, EntityKind kind, Option<string> db)
    {
        var noun = kind.ToWireName();
        var json = CommonOptions.Json();
        var reason = new Option<string?>("--reason") { Description = "Why (recorded in the history and the audit log)" };
        var measures = new Option<string[]>("--measure") { Description = "A remediation measure required (repeat for several)", AllowMultipleArgumentsPerToken = false };
        var deadline = new Option<string?>("--deadline") { Description = "Deadline for the measures (ISO 8601, e.g. 2026-11-04T09:00:00Z)" };
        var index = new Option<int>("--index") { Description = "0-based index of the measure done", DefaultValueFactory = _ => -1 };
        var hold = new Option<string>("--hold") { Description = "geo, budget or provider_suspended", DefaultValueFactory = _ => "provider_suspended" };
        var actor = new Option<string?>("--actor") { Description = "Who acts (default cli:$USER)" };

        Command Make(string name, string description, LifecycleEvent ev, params Option[] extra)
        {
            var id = new Argument<string>("id") { Description = $"The {noun} id" + (kind == EntityKind.Team ? " or name" : "") };
            var command = new Command(name, description) { id, reason, actor, db, json };
            foreach (var o in extra)
            {
                command.Options.Add(o);
            }

            command.SetAction(async (ParseResult pr, CancellationToken ct) =>
            {
                DateTimeOffset? due = null;
                if (pr.GetValue(deadline) is { Length: > 0 } text)
                {
                    if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                    {
                        await Console.Error.WriteLineAsync($"--deadline '{text}' is not an ISO 8601 date and time.").ConfigureAwait(false);
                        return 2;
                    }

                    due = parsed;
                }

                var holdValue = LifecycleHolds.None;
                if (ev is LifecycleEvent.PlaceHold or LifecycleEvent.ClearHold && !LifecycleNames.TryParseHold(pr.GetValue(hold), out holdValue))
                {
                    await Console.Error.WriteLineAsync("--hold must be geo, budget or provider_suspended.").ConfigureAwait(false);
                    return 2;
                }

                var (service, entityId, error) = await OpenAsync(pr.GetValue(db)!, kind, pr.GetValue(id)!, ct).ConfigureAwait(false);
                if (error is not null)
                {
                    await Console.Error.WriteLineAsync(error).ConfigureAwait(false);
                    return 1;
                }

                var command = new LifecycleCommand
                {
                    Event = ev,
                    Actor = pr.GetValue(actor) ?? "cli:" + (Environment.UserName is { Length: > 0 } u ? u : "unknown"),
                    Reason = pr.GetValue(reason),
                    Measures = pr.GetValue(measures) ?? [],
                    Deadline = due,
                    MeasureIndex = pr.GetValue(index),
                    Hold = holdValue,
                };
                var result = await service!.ApplyAsync(kind, entityId!, command, ct).ConfigureAwait(false);
                if (!result.Succeeded)
                {
                    await Console.Error.WriteLineAsync($"{result.Error.Code}: {result.Error.Message}").ConfigureAwait(false);
                    return 1;
                }

                var t = result.Transition;
                if (pr.GetValue(json))
                {
                    var dto = new LifecycleTransitionDto(t.Event.ToWireName(), t.From.ToWireName(), t.To.ToWireName(), t.Actor, t.Reason, t.At, LifecycleApi.ToDto(result.Lifecycle));
                    Console.WriteLine(JsonSerializer.Serialize(dto, LifecycleApiJsonContext.Default.LifecycleTransitionDto));
                }
                else
                {
                    Console.WriteLine($"{noun} {entityId}: {t.Event.ToWireName()} {t.From.ToWireName()} -> {t.To.ToWireName()}"
                        + (result.Lifecycle.Holds != LifecycleHolds.None ? $" (holds: {result.Lifecycle.Holds.ToWireName()})" : "") + $" by {t.Actor}");
                    if (result.Lifecycle.State == LifecycleState.Suspended && result.Lifecycle.Measures.Count > 0)
                    {
                        for (var i = 0; i < result.Lifecycle.Measures.Count; i++)
                        {
                            var m = result.Lifecycle.Measures[i];
                            Console.WriteLine($"  [{i}] {(m.Done ? "done" : "open")}  {m.Description}");
                        }
                    }
                }

                return 0;
            });
            return command;
        }

        parent.Subcommands.Add(Make("suspend", $"Suspend a {noun} pending remediation measures", LifecycleEvent.Suspend, measures, deadline));
        parent.Subcommands.Add(Make("review", $"Put a {noun} under review", LifecycleEvent.Review));
        parent.Subcommands.Add(Make("complete-measure", "Mark a remediation measure done", LifecycleEvent.CompleteMeasure, index));
        parent.Subcommands.Add(Make("reinstate", $"Reinstate a {noun} (every measure must be done)", LifecycleEvent.Reinstate));
        parent.Subcommands.Add(Make("ban", $"Ban a {noun} permanently", LifecycleEvent.Ban));
        parent.Subcommands.Add(Make("place-hold", "Place a hold (geo, budget, provider_suspended)", LifecycleEvent.PlaceHold, hold));
        parent.Subcommands.Add(Make("clear-hold", "Clear a hold", LifecycleEvent.ClearHold, hold));

        var historyId = new Argument<string>("id") { Description = $"The {noun} id" };
        var history = new Command("history", $"State and transitions of a {noun}") { historyId, db, json };
        history.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var store = await CommonOptions.OpenStoreAsync(pr.GetValue(db)!, ct).ConfigureAwait(false);
            var (service, entityId, error) = await OpenAsync(store, kind, pr.GetValue(historyId)!, ct).ConfigureAwait(false);
            if (error is not null)
            {
                await Console.Error.WriteLineAsync(error).ConfigureAwait(false);
                return 1;
            }

            var lc = await service!.GetAsync(kind, entityId!, ct).ConfigureAwait(false);
            var entries = await store.GetHistoryAsync(noun, entityId!, ct).ConfigureAwait(false);
            if (pr.GetValue(json))
            {
                var dto = new LifecycleHistoryDto(LifecycleApi.ToDto(lc), [.. entries.Select(h => new HistoryDto(h.At, h.Event, h.From, h.To, h.Actor, h.Reason, h.Detail))], []);
                Console.WriteLine(JsonSerializer.Serialize(dto, LifecycleApiJsonContext.Default.LifecycleHistoryDto));
                return 0;
            }

            Console.WriteLine($"{noun} {entityId}: {lc.State.ToWireName()}" + (lc.Holds != LifecycleHolds.None ? $", holds {lc.Holds.ToWireName()}" : "")
                + (lc.Deadline is { } d ? $", deadline {d.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}" : ""));
            var table = new Table().AddColumns("at", "event", "from", "to", "actor", "reason");
            foreach (var h in entries)
            {
                table.AddRow(h.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), h.Event, h.From ?? "", h.To ?? "",
                    Markup.Escape(h.Actor), Markup.Escape(h.Reason ?? ""));
            }

            AnsiConsole.Write(table);
            return 0;
        });
        parent.Subcommands.Add(history);
    }

    private static async Task<(LifecycleService? Service, string? Id, string? Error)> OpenAsync(string db, EntityKind kind, string raw, CancellationToken ct) =>
        await OpenAsync(await CommonOptions.OpenStoreAsync(db, ct).ConfigureAwait(false), kind, raw, ct).ConfigureAwait(false);

    private static async Task<(LifecycleService? Service, string? Id, string? Error)> OpenAsync(IGatewayStore store, EntityKind kind, string raw, CancellationToken ct)
    {
        Charter.Policy.Lifecycle.ILifecycleStore? lifecycles = store switch
        {
            SqliteGatewayStore sqlite => new SqliteLifecycleStore(sqlite),
            Charter.Storage.Postgres.PostgresGatewayStore postgres => new Charter.Storage.Postgres.PostgresLifecycleStore(postgres),
            _ => null,
        };
        if (lifecycles is null)
        {
            return (null, null, "Lifecycle commands need a SQLite or PostgreSQL database.");
        }

        var id = kind switch
        {
            EntityKind.Key => (await store.GetKeyAsync(raw, ct).ConfigureAwait(false))?.Id,
            EntityKind.Team => (await store.FindTeamAsync(raw, ct).ConfigureAwait(false))?.Id,
            _ => raw,
        };
        return id is null
            ? (null, null, $"No {kind.ToWireName()} with id '{raw}'.")
            : (new LifecycleService(lifecycles, TimeProvider.System), id, null);
    }
}
