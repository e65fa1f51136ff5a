// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Sim;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Charter.Tests.Eval;

/// <summary>The simulated provider on a loopback port chosen by the OS, used as the "gateway" of eval runs.</summary>
internal sealed class SimServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SimServer(WebApplication app, string url)
    {
        _app = app;
        Url = url;
        Simulator = app.Services.GetRequiredService<Simulator>();
    }

    public string Url { get; }

    public Simulator Simulator { get; }

    public static async Task<SimServer> StartAsync(SimulatorOptions options)
    {
        var app = SimulatorHost.Build(options, "http://127.0.0.1:0");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SimServer(app, address);
    }

    public static SimulatorOptions ThreeModels() => new()
    {
        Accuracy = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase)
        {
            ["gpt-4o"] = 0.85,
            ["gpt-4o-mini"] = 0.70,
            ["llama-3.1-8b-instruct"] = 0.55,
        },
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
