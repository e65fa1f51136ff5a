// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Sim;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Charter.Tests.Sim;

/// <summary>The simulator's Kestrel host on a loopback port, with a client for it.</summary>
internal sealed class SimHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SimHost(WebApplication app, HttpClient http)
    {
        _app = app;
        Http = http;
    }

    public HttpClient Http { get; }

    public Simulator Simulator => _app.Services.GetRequiredService<Simulator>();

    public static async Task<SimHost> StartAsync()
    {
        var app = SimulatorHost.Build(new SimulatorOptions(), "http://127.0.0.1:0");
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SimHost(app, new HttpClient { BaseAddress = new Uri(address) });
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.DisposeAsync();
    }
}
