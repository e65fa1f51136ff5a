// Copyright (c) Charter contributors. Licensed under the MIT License.

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Charter.Accounting;

/// <summary>Registers token estimation, pricing, limits and the (in-process) change notifier.</summary>
public static class AccountingServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="TokenEstimator"/>, <see cref="PriceTable"/>, <see cref="IRateLimiter"/> over the in-process
    /// <see cref="ILimitStore"/> and an in-process <see cref="IChangeNotifier"/>; options from sections
    /// <c>limits</c> and <c>pricing</c>, validated at start. <c>AddCharterRedis</c> (Charter.Redis) later replaces the
    /// store and the notifier with shared ones.
    /// </summary>
    public static IServiceCollection AddCharterAccounting(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LimitsOptions>, LimitsOptionsValidator>());
        services.AddOptions<PricingOptions>().BindConfiguration(PricingOptions.SectionName).ValidateOnStart();
        services.TryAddSingleton<TokenEstimator>();
        services.TryAddSingleton<PriceTable>();
        services.TryAddSingleton<LocalLimitStore>();
        services.TryAddSingleton<ILimitStore>(static sp => sp.GetRequiredService<LocalLimitStore>());
        services.TryAddSingleton<IRateLimiter, RateLimiter>();
        services.TryAddSingleton<IChangeNotifier, LocalChangeNotifier>();
        services.TryAddSingleton<SubjectLimits>();
        services.TryAddSingleton<SubjectLimitsSyncService>();
        services.AddHostedService(static sp => sp.GetRequiredService<SubjectLimitsSyncService>());
        return services;
    }

    /// <summary>
    /// Adds <see cref="BudgetHolds"/> (the <c>budget</c> lifecycle hold on keys and teams whose budget is spent) and the
    /// <see cref="BudgetSweepService"/> that clears it when the budget allows spending again. Needs the lifecycle services
    /// (<c>AddCharterPolicy</c>) and <see cref="AddCharterAccounting"/>.
    /// </summary>
    public static IServiceCollection AddCharterBudgetHolds(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<BudgetHolds>();
        services.TryAddSingleton<BudgetSweepService>();
        services.AddHostedService(static sp => sp.GetRequiredService<BudgetSweepService>());
        return services;
    }
}
