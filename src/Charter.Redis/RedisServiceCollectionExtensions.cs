// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Accounting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Charter.Redis;

/// <summary>Makes limits, budgets and change notifications shared through Redis.</summary>
public static class RedisServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="IConnectionMultiplexer"/> for <paramref name="configuration"/> ("host:port"), and
    /// replaces the in-process <see cref="ILimitStore"/> and <see cref="IChangeNotifier"/> with Redis ones. The limits admins
    /// give single keys and teams stay in the gateway database; their changes are announced on the Redis change bus.
    /// Call after <c>AddCharterAccounting()</c>. The in-process store stays registered as the fail_open_local fallback.
    /// </summary>
    public static IServiceCollection AddCharterRedis(this IServiceCollection services, string configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(configuration);
        services.AddCharterAccounting();
        services.TryAddSingleton<IConnectionMultiplexer>(sp =>
            RedisConnectionFactory.Connect(configuration, sp.GetRequiredService<IOptions<LimitsOptions>>().Value.RedisTimeoutMs));
        services.Replace(ServiceDescriptor.Singleton<ILimitStore, RedisLimitStore>());
        services.Replace(ServiceDescriptor.Singleton<IChangeNotifier, RedisChangeNotifier>());
        return services;
    }
}
