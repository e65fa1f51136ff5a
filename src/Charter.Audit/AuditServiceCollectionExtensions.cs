// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Audit.Http;
using Charter.Audit.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Charter.Audit;

/// <summary>Registers the audit log, its store (SQLite, or PostgreSQL when the database setting is a PostgreSQL URL or connection string), the checkpointer and a deny-all authorizer.</summary>
public static class AuditServiceCollectionExtensions
{
    /// <summary>Adds <see cref="AuditLog"/> (singleton), <see cref="CheckpointerService"/> (or, on PostgreSQL, <see cref="AuditSequencerService"/>) and defaults for <see cref="IAuditStore"/> and <see cref="IAuditAuthorizer"/>.</summary>
    /// <remarks>Options bind from <see cref="AuditOptions.SectionName"/>; replace the store or authorizer by registering yours first.</remarks>
    public static IServiceCollection AddCharterAudit(this IServiceCollection services, Action<AuditOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.SectionName);
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        // A PostgreSQL database has no directory to put the signing keys next to: default to ./audit-keys.
        builder.PostConfigure(o =>
        {
            if (o.KeyDirectory is null && PostgresConnectionStrings.IsPostgres(o.DatabasePath))
            {
                o.KeyDirectory = Path.GetFullPath("audit-keys");
            }

            // Several instances on one PostgreSQL database: one elected sequencer integrates and signs.
            o.ElectSequencer ??= PostgresConnectionStrings.IsPostgres(o.DatabasePath);
        });

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<AuditOptions>>().Value);
        services.TryAddSingleton<IAuditStore>(sp =>
        {
            var database = sp.GetRequiredService<AuditOptions>().DatabasePath;
            return PostgresConnectionStrings.IsPostgres(database) ? new PostgresAuditStore(database) : new SqliteAuditStore(database);
        });
        services.TryAddSingleton<IAuditAuthorizer, DenyAllAuditAuthorizer>();
        services.TryAddSingleton(sp => new AuditLog(
            sp.GetRequiredService<IAuditStore>(),
            sp.GetRequiredService<AuditOptions>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<AuditLog>>()));
        // The queue exists where the store has one (PostgreSQL); elsewhere this resolves to null.
        services.TryAddSingleton<IAuditQueueStore>(sp => (sp.GetRequiredService<IAuditStore>() as IAuditQueueStore)!);

        // Direct mode (SQLite): this process appends and the checkpointer signs. Elected mode (PostgreSQL): every instance
        // queues, the sequencer (one per database, elected) integrates and signs.
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<AuditOptions>().ElectSequencer == true && sp.GetService<IAuditQueueStore>() is { } queue
            ? new AuditSequencerService(sp.GetRequiredService<AuditLog>(), queue, sp.GetRequiredService<AuditOptions>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AuditSequencerService>>())
            : ActivatorUtilities.CreateInstance<CheckpointerService>(sp));
        return services;
    }
}
