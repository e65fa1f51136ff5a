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
            services.AddSingleton<Charter.Policy.Lifecycle.ILifecycleStore>(sp => sp.GetRequiredService<IGatewayStore>() is Charter.Storage.Sqlite.SqliteGatewayStore s
                ? new Charter.Storage.Sqlite.SqliteLifecycleStore(s) : new Charter.Policy.Lifecycle.InMemoryLifecycleStore());
            // Findings live in the SQLite file beside the records (PostgreSQL keeps them in memory for now).
            services.AddSingleton<Charter.Detection.IFindingStore>(sp => sp.GetRequiredService<IGatewayStore>() is Charter.Storage.Sqlite.SqliteGatewayStore sqlite
                ? new Charter.Storage.Sqlite.SqliteFindingStore(sqlite)
                : new Charter.Detection.InMemoryFindingStore());
            // Usage reports read the request records (SQLite; PostgreSQL once its store provides one).
            services.AddSingleton<Charter.UsageReports.IUsageQuery>(sp => sp.GetRequiredService<IGatewayStore>() is Charter.Storage.Sqlite.SqliteGatewayStore usage
                ? new Charter.Storage.Sqlite.SqliteUsageQuery(usage)
                : throw new NotSupportedException("Usage queries need the SQLite store."));
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
                sp.GetRequiredService<IOptions<Charter.Configuration.RecordsOptions>>().Value.RetainContent));
    }
}
