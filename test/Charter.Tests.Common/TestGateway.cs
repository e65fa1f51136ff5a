// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Net.Http.Json;
using System.Text.Json;
using Charter.Cli;
using Charter.Hosting;
using Charter.Records;
using Charter.Sim;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Charter.Tests.Common;

/// <summary>A real gateway on a loopback port, in front of a real simulated provider on its own loopback port.</summary>
public sealed class TestGateway : IAsyncDisposable
{
    public const string AdminKey = "ak-test-admin-key-0123456789";

    private TestGateway(WebApplication app, WebApplication? simApp, Simulator simulator, string directory)
    {
        App = app;
        SimApp = simApp;
        Simulator = simulator;
        Directory = directory;
        BaseUri = new Uri(Address(app) + "/");
        Http = new HttpClient { BaseAddress = BaseUri };
    }

    public WebApplication App { get; }

    public WebApplication? SimApp { get; }

    public Simulator Simulator { get; }

    public string Directory { get; }

    public Uri BaseUri { get; }

    public HttpClient Http { get; }

    public string DatabasePath => Path.Combine(Directory, "charter.db");

    public Uri? SimUri => SimApp is null ? null : new Uri(Address(SimApp) + "/");

    /// <summary>Starts sim (over HTTP unless <paramref name="inProcessSim"/>) and a gateway in front of it.</summary>
    public static async Task<TestGateway> StartAsync(Action<CharterHostSettings>? configure = null, Action<SimulatorOptions>? sim = null, bool inProcessSim = false)
    {
        var dir = Path.Combine(Path.GetTempPath(), "charter-test-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(dir);
        var simOptions = new SimulatorOptions();
        sim?.Invoke(simOptions);
        WebApplication? simApp = null;
        var settings = new CharterHostSettings
        {
            Urls = "http://127.0.0.1:0",
            Database = Path.Combine(dir, "charter.db"),
            AdminKey = AdminKey,
            LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,
            ConfigFile = null,
        };
        settings.Overrides["Records:JournalDirectory"] = Path.Combine(dir, "journal");
        if (!inProcessSim)
        {
            simApp = SimulatorHost.Build(simOptions, "http://127.0.0.1:0");
            await simApp.StartAsync();
            settings.Upstream = Address(simApp) + "/v1";
        }
        else
        {
            foreach (var (k, v) in SimToConfig(simOptions))
            {
                settings.Overrides[k] = v;
            }
        }

        configure?.Invoke(settings);
        var app = GatewayComposition.Build(settings);
        await CharterHost.InitializeAsync(app);
        await app.StartAsync();
        var simulator = simApp?.Services.GetRequiredService<Simulator>() ?? app.Services.GetRequiredService<Simulator>();
        return new TestGateway(app, simApp, simulator, dir);
    }

    /// <summary>Creates a key through the admin API and returns its secret and id.</summary>
    public async Task<(string Secret, string Id)> CreateKeyAsync(string team = "team-a", string[]? purposes = null, string? defaultPurpose = null,
        string? jurisdiction = null, string[]? models = null)
    {
        using var req = new HttpRequestMessage(HttpMethod.Post, "admin/v1/keys")
        {
            Content = JsonContent.Create(new Dictionary<string, object?>
            {
                ["team"] = team,
                ["purposes"] = purposes ?? ["testing", "evaluation"],
                ["default_purpose"] = defaultPurpose,
                ["jurisdiction"] = jurisdiction,
                ["models"] = models,
            }),
        };
        req.Headers.Authorization = new("Bearer", AdminKey);
        using var resp = await Http.SendAsync(req);
        var body = await resp.Content.ReadAsStringAsync();
        if (!resp.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"key creation failed: {(int)resp.StatusCode} {body}");
        }

        using var doc = JsonDocument.Parse(body);
        return (doc.RootElement.GetProperty("key").GetString()!, doc.RootElement.GetProperty("id").GetString()!);
    }

    /// <summary>Sends an admin API request with the bootstrap admin key; <paramref name="body"/> goes as JSON.</summary>
    public async Task<HttpResponseMessage> AdminAsync(HttpMethod method, string path, object? body = null, CancellationToken cancellationToken = default)
    {
        using var req = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            req.Content = JsonContent.Create(body);
        }

        req.Headers.Authorization = new("Bearer", AdminKey);
        return await Http.SendAsync(req, cancellationToken);
    }

    /// <summary>Waits until every journal event is in the database.</summary>
    /// <remarks>A stream's completion is journaled just after its last event reaches the client, so by default this also
    /// waits (up to 5 s) until no record is still in flight.</remarks>
    public async Task WaitForRecordsAsync(bool requireComplete = true)
    {
        var pipeline = App.Services.GetRequiredService<EventPipeline>();
        var store = App.Services.GetRequiredService<Charter.Storage.IGatewayStore>();
        for (var i = 0; i < 250; i++)
        {
            await pipeline.WaitIdleAsync(TimeSpan.FromSeconds(10));
            if (!requireComplete)
            {
                return;
            }

            var inFlight = false;
            await foreach (var r in store.ReadRequestsAsync(null, null))
            {
                inFlight |= r.Status is null;
            }

            if (!inFlight)
            {
                return;
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        if (SimApp is not null)
        {
            await SimApp.StopAsync();
            await SimApp.DisposeAsync();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');

    private static IEnumerable<(string, string?)> SimToConfig(SimulatorOptions o)
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        yield return ("Sim:TimeToFirstTokenMs", o.TimeToFirstTokenMs.ToString(c));
        yield return ("Sim:TokensPerSecond", o.TokensPerSecond.ToString(c));
        yield return ("Sim:MinCompletionTokens", o.MinCompletionTokens.ToString(c));
        yield return ("Sim:MaxCompletionTokens", o.MaxCompletionTokens.ToString(c));
        yield return ("Sim:ErrorRate", o.ErrorRate.ToString(c));
        yield return ("Sim:RateLimitRate", o.RateLimitRate.ToString(c));
        yield return ("Sim:OverloadedRate", o.OverloadedRate.ToString(c));
        yield return ("Sim:DropRate", o.DropRate.ToString(c));
        yield return ("Sim:SuspendedAccount", o.SuspendedAccount.ToString(c));
        yield return ("Sim:DefaultAccuracy", o.DefaultAccuracy.ToString(c));
        foreach (var (model, accuracy) in o.Accuracy)
        {
            yield return ($"Sim:Accuracy:{model}", accuracy.ToString(c));
        }
    }
}
