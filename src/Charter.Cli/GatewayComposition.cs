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
        return CharterHost.Build(
            settings,
            sp => StoreFactory.Create(sp.GetRequiredService<IOptions<Charter.Configuration.StorageOptions>>().Value.Database,
                sp.GetRequiredService<IOptions<Charter.Configuration.RecordsOptions>>().Value.RetainContent));
    }
}
