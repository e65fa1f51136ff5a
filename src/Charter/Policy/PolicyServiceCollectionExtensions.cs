// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Forwarding;
using Charter.Hosting;
using Charter.Keys;
using Charter.Policy.Lifecycle;
using Charter.Records;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Charter.Policy;

/// <summary>Registers the lifecycle services (always) and the policy authorizer (when a policy directory exists).</summary>
public static class PolicyServiceCollectionExtensions
{
    /// <summary>Adds lifecycle cache, coordinator, refresh and deadline sweep; with a policy directory (<see cref="CharterHostSettings.Policies"/>
    /// or <c>./policies</c>) also the <see cref="PolicyProvider"/> and <see cref="PolicyRequestAuthorizer"/> in place of the basic one.</summary>
    /// <exception cref="CharterConfigurationException">The policy directory does not validate (every error listed).</exception>
    public static IServiceCollection AddCharterPolicy(this IServiceCollection services, CharterHostSettings settings, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = configuration.GetSection("Policy").Get<PolicyGatewayOptions>() ?? new PolicyGatewayOptions();
        services.AddSingleton(options);
        services.TryAddSingleton<ILifecycleStore>(_ => new InMemoryLifecycleStore());
        services.TryAddSingleton(sp => new LifecycleCache(sp.GetRequiredService<ILifecycleStore>()));
        services.TryAddSingleton(sp => new LifecycleCoordinator(sp.GetRequiredService<ILifecycleStore>(), sp.GetRequiredService<LifecycleCache>(),
            sp.GetRequiredService<Journal>(), sp.GetRequiredService<TimeProvider>(),
            new LifecycleOptions
            {
                DeadlineExpiry = string.Equals(options.DeadlineExpiry, "off", StringComparison.OrdinalIgnoreCase) ? DeadlineExpiryMode.Off : DeadlineExpiryMode.Ban,
            },
            sp.GetRequiredService<ILogger<LifecycleCoordinator>>(), sp.GetService<Charter.Accounting.IChangeNotifier>()));
        services.AddHostedService<LifecycleRefreshService>();
        services.TryAddSingleton<DeadlineSweepService>();
        services.AddHostedService(sp => sp.GetRequiredService<DeadlineSweepService>());

        var directory = settings.Policies ?? (Directory.Exists("policies") ? "policies" : null);
        if (directory is null)
        {
            return services;
        }

        if (!Directory.Exists(directory))
        {
            throw new CharterConfigurationException([$"The policy directory '{directory}' does not exist."]);
        }

        var load = PolicyLoader.LoadDirectory(directory);
        if (!load.Succeeded)
        {
            throw new CharterConfigurationException([.. load.Errors.Select(e => "policy: " + e)]);
        }

        services.AddSingleton(sp => new PolicyProvider(load.Set!, new PolicyProviderOptions { Directory = directory, Watch = options.Watch }));
        services.AddHostedService<PolicyReloadLogger>();
        services.AddSingleton<IRequestAuthorizer>(sp => new PolicyRequestAuthorizer(sp.GetRequiredService<PolicyProvider>(), sp.GetRequiredService<LifecycleCache>(),
            sp.GetRequiredService<LifecycleCoordinator>(), sp.GetRequiredService<KeyRegistry>(), sp.GetRequiredService<TimeProvider>(), options,
            sp.GetRequiredService<ILogger<PolicyRequestAuthorizer>>()));
        return services;
    }
}
