// Copyright (c) Charter contributors. Licensed under the MIT License.

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Charter.Sim;

/// <summary>A minimal Kestrel host serving only the simulator (used by <c>charter sim</c> and tests).</summary>
public static class SimulatorHost
{
    /// <summary>Builds (does not start) a host listening on <paramref name="urls"/> (e.g. <c>http://127.0.0.1:0</c>).</summary>
    /// <remarks>The <see cref="Simulator"/> is registered as a singleton: <c>app.Services.GetRequiredService&lt;Simulator&gt;()</c>.</remarks>
    public static WebApplication Build(SimulatorOptions options, string urls)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(urls);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls(urls);
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 32 * 1024 * 1024;
        });
        var simulator = new Simulator(options, TimeProvider.System);
        builder.Services.AddSingleton(simulator);
        var app = builder.Build();
        app.MapSimulator(simulator);
        app.MapGet("/healthz", static () => "ok");
        app.MapFallback(static context => SimulatorEndpoints.WriteNotFoundAsync(context));
        return app;
    }
}
