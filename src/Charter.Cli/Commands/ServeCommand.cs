// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.CommandLine;
using Charter.Hosting;
using Charter.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Charter.Cli.Commands;

/// <summary><c>charter serve</c>: runs the gateway.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Listen URLs", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var db = CommonOptions.Db();
        var upstream = new Option<string?>("--upstream") { Description = "Forward every model to this OpenAI-compatible base URL (e.g. http://127.0.0.1:11434/v1)" };
        var upstreamKey = new Option<string?>("--upstream-key") { Description = "API key for --upstream (or set CHARTER__Gateway__UpstreamKey)" };
        var policies = new Option<string?>("--policies") { Description = "Policy directory (default ./policies when present)" };
        var config = new Option<string?>("--config") { Description = "Configuration file (default ./charter.json when present)" };
        var redis = new Option<string?>("--redis") { Description = "Redis host:port shared by several instances (limits, budgets, key and lifecycle invalidation)" };
        var cmd = new Command("serve", "Run the gateway (SQLite by default; the simulated provider when no provider is configured)")
        {
            urls, db, upstream, upstreamKey, policies, config, redis,
        };
        cmd.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var settings = new CharterHostSettings
            {
                Urls = pr.GetValue(urls)!,
                Database = pr.GetValue(db),
                Upstream = pr.GetValue(upstream),
                UpstreamKey = pr.GetValue(upstreamKey),
                Policies = pr.GetValue(policies),
                ConfigFile = pr.GetValue(config),
                Redis = pr.GetValue(redis),
            };
            WebApplication app;
            try
            {
                app = GatewayComposition.Build(settings);
            }
            catch (CharterConfigurationException ex)
            {
                await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
                return 1;
            }

            await using (app)
            {
                await CharterHost.InitializeAsync(app).ConfigureAwait(false);
                await app.StartAsync(ct).ConfigureAwait(false);
                var mode = app.Services.GetRequiredService<GatewayMode>();
                var storage = app.Services.GetRequiredService<IOptions<Charter.Configuration.StorageOptions>>().Value;
                Console.WriteLine($"charter: listening on {settings.Urls}; database {storage.Database}");
                Console.WriteLine($"charter: {mode.Description}");
                var journal = app.Services.GetRequiredService<Charter.Records.Journal>();
                Console.WriteLine(journal.HotDirectory switch
                {
                    null => $"charter: journal {journal.SegmentDirectory}",
                    var hot when journal.AppendsToMemoryFile => $"charter: journal {journal.SegmentDirectory} (appends to memory files in {hot}; Records:JournalHotDirectory)",
                    var hot => $"charter: journal {journal.SegmentDirectory} (no room for a memory file in {hot}: segment files mapped directly)",
                });
                var first = settings.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()?.TrimEnd('/') ?? "";
                Console.WriteLine($"charter: dashboard {first}{Charter.Admin.AdminUi.Path}; admin API {first}/admin/v1 (OpenAPI {first}/openapi/admin.json)");
                if (string.IsNullOrEmpty(settings.AdminKey))
                {
                    Console.WriteLine("charter: CHARTER_ADMIN_KEY is not set: the admin API and the dashboard accept only stored admin keys "
                        + "(make one offline with: charter admin-keys create --role admin).");
                }

                await app.WaitForShutdownAsync(ct).ConfigureAwait(false);
            }

            return 0;
        });
        return cmd;
    }
}
