// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Hosting;
using Charter.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Charter.Cli;

/// <summary>The composition root: which store, simulator and policy implementations a gateway process uses.</summary>
public static class GatewayComposition
{
    /// <summary>Builds a gateway with the production wiring.</summary>
    public static WebApplication Build(CharterHostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var configure = settings.ConfigureServices;
        var redis = settings.Redis
            ?? (settings.Overrides.TryGetValue("Redis:Configuration", out var r) ? r : null)
            ?? Environment.GetEnvironmentVariable("CHARTER__Redis__Configuration");
        settings.ConfigureServices = services =>
        {
            // Lifecycles live in the gateway database (atomic save + history); a test may still replace it.
            services.AddSingleton<Charter.Policy.Lifecycle.ILifecycleStore>(sp => sp.GetRequiredService<IGatewayStore>() switch
            {
                Charter.Storage.Sqlite.SqliteGatewayStore s => new Charter.Storage.Sqlite.SqliteLifecycleStore(s),
                Charter.Storage.Postgres.PostgresGatewayStore p => new Charter.Storage.Postgres.PostgresLifecycleStore(p),
                _ => new Charter.Policy.Lifecycle.InMemoryLifecycleStore(),
            });

            // Findings live in the gateway database beside the records.
            services.AddSingleton<Charter.Detection.IFindingStore>(sp => sp.GetRequiredService<IGatewayStore>() switch
            {
                Charter.Storage.Sqlite.SqliteGatewayStore s => new Charter.Storage.Sqlite.SqliteFindingStore(s),
                Charter.Storage.Postgres.PostgresGatewayStore p => new Charter.Storage.Postgres.PostgresFindingStore(p),
                _ => new Charter.Detection.InMemoryFindingStore(),
            });
            // Own limits of keys and teams live in the gateway database (the change version / --redis bus reloads them everywhere).
            services.AddSingleton<Charter.Accounting.ILimitOverrideStore>(sp => sp.GetRequiredService<IGatewayStore>() switch
            {
                Charter.Storage.Sqlite.SqliteGatewayStore s => new Charter.Storage.Sqlite.SqliteLimitOverrideStore(s, sp.GetRequiredService<IOptionsMonitor<Charter.Accounting.LimitsOptions>>()),
                Charter.Storage.Postgres.PostgresGatewayStore p => new Charter.Storage.Postgres.PostgresLimitOverrideStore(p, sp.GetRequiredService<IOptionsMonitor<Charter.Accounting.LimitsOptions>>()),
                _ => null!, // an in-memory store (tests): own limits live in the process's memory
            });
            // Evaluation runs and usage reports are grouped in SQL by the store's own query.
            services.AddSingleton<Charter.Admin.IEvalRunQuery>(sp => sp.GetRequiredService<IGatewayStore>() switch
            {
                Charter.Storage.Sqlite.SqliteGatewayStore s => new Charter.Storage.Sqlite.SqliteEvalRunQuery(s),
                Charter.Storage.Postgres.PostgresGatewayStore p => new Charter.Storage.Postgres.PostgresEvalRunQuery(p),
                var other => new Charter.Admin.RecordScanEvalRunQuery(other),
            });
            services.AddSingleton<Charter.UsageReports.IUsageQuery>(sp => sp.GetRequiredService<IGatewayStore>() switch
            {
                Charter.Storage.Sqlite.SqliteGatewayStore s => new Charter.Storage.Sqlite.SqliteUsageQuery(s),
                Charter.Storage.Postgres.PostgresGatewayStore p => new Charter.Storage.Postgres.PostgresUsageQuery(p),
                _ => null!, // the usage endpoint answers 501 for a store without a usage query (a test's in-memory store)
            });
            // --redis: limits, budgets and change notifications shared by every instance.
            if (!string.IsNullOrEmpty(redis))
            {
                Charter.Redis.RedisServiceCollectionExtensions.AddCharterRedis(services, redis);
            }

            configure?.Invoke(services);
        };
        return CharterHost.Build(
            settings,
            sp => StoreFactory.Create(sp.GetRequiredService<IOptions<Charter.Configuration.StorageOptions>>().Value.Database,
                sp.GetRequiredService<IOptions<Charter.Configuration.RecordsOptions>>().Value.RetainContent,
                sp.GetRequiredService<Charter.Records.Journal>().InstanceId));
    }
}
