// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Diagnostics;
using System.Text.Json;
using Charter.Tests.Common;

namespace Charter.FunctionalTests.Infrastructure;

/// <summary>Runs the Node.js scripts of <c>test/js</c> against a test gateway: <c>openai-client.mjs</c> (the official
/// <c>openai</c> npm package), <c>anthropic-client.mjs</c> (the official <c>@anthropic-ai/sdk</c>) and <c>dashboard.mjs</c>
/// (the admin dashboard in jsdom).</summary>
internal static class JsClient
{
    private static readonly Lazy<string> Directory = new(FindDirectory);

    /// <summary>Runs one scenario of <c>openai-client.mjs</c> with <paramref name="key"/> and returns the JSON it printed.</summary>
    public static Task<JsonElement> RunAsync(TestGateway gateway, string key, string scenario, string? model = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["CHARTER_BASE_URL"] = new Uri(gateway.BaseUri, "v1").ToString(),
            ["CHARTER_KEY"] = key,
        };
        if (model is not null)
        {
            environment["CHARTER_MODEL"] = model;
        }

        return RunNodeAsync("openai-client.mjs", [scenario], environment);
    }

    /// <summary>Runs one scenario of <c>anthropic-client.mjs</c> (the official <c>@anthropic-ai/sdk</c> package) against the
    /// gateway's <c>/v1/messages</c> with <paramref name="key"/> and returns the JSON it printed.</summary>
    public static Task<JsonElement> RunAnthropicAsync(TestGateway gateway, string key, string scenario, string model) =>
        RunNodeAsync("anthropic-client.mjs", [scenario], new()
        {
            ["CHARTER_ROOT_URL"] = gateway.BaseUri.ToString().TrimEnd('/'),
            ["CHARTER_KEY"] = key,
            ["CHARTER_MODEL"] = model,
        });

    /// <summary>Runs <c>dashboard.mjs</c> against the gateway's <c>/ui/</c> and returns the JSON it printed.</summary>
    public static Task<JsonElement> RunDashboardAsync(TestGateway gateway, string adminKey, string auditorKey) =>
        RunNodeAsync("dashboard.mjs", [], new()
        {
            ["CHARTER_UI_URL"] = new Uri(gateway.BaseUri, "ui/").ToString(),
            ["CHARTER_ADMIN_KEY"] = adminKey,
            ["CHARTER_AUDITOR_KEY"] = auditorKey,
        });

    private static async Task<JsonElement> RunNodeAsync(string script, string[] args, Dictionary<string, string> environment)
    {
        var psi = new ProcessStartInfo("node")
        {
            WorkingDirectory = Directory.Value,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(Directory.Value, script));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (name, value) in environment)
        {
            psi.Environment[name] = value;
        }

        var label = string.Join(' ', [script, .. args]);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("node did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {label} ran over 90 s: {await stderr}");
        }

        var output = await stdout;
        Assert.True(process.ExitCode == 0, $"node {label} exited with {process.ExitCode}: {await stderr}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    // test/js in the repository; its node_modules (openai, jsdom) come from eng/js.sh (test.sh).
    private static string FindDirectory()
    {
        var js = Path.Combine(RepoPaths.Root, "test", "js");
        foreach (var package in new[] { "openai", "jsdom" })
        {
            var manifest = Path.Combine(js, "node_modules", package, "package.json");
            if (!File.Exists(manifest))
            {
                throw new InvalidOperationException($"The {package} npm package is not installed: run eng/js.sh (test.sh does). Looked for {manifest}.");
            }
        }

        return js;
    }
}
