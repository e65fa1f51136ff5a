// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Diagnostics;
using System.Text.Json;
using Charter.Tests.Common;

namespace Charter.FunctionalTests.Infrastructure;

/// <summary>Runs <c>test/js/openai-client.mjs</c> (the official <c>openai</c> npm package) against a test gateway.</summary>
internal static class JsClient
{
    private static readonly Lazy<string> Script = new(FindScript);

    /// <summary>Runs one scenario of the script with <paramref name="key"/> and returns the JSON it printed.</summary>
    public static async Task<JsonElement> RunAsync(TestGateway gateway, string key, string scenario)
    {
        var psi = new ProcessStartInfo("node")
        {
            WorkingDirectory = Path.GetDirectoryName(Script.Value)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Script.Value);
        psi.ArgumentList.Add(scenario);
        psi.Environment["CHARTER_BASE_URL"] = new Uri(gateway.BaseUri, "v1").ToString();
        psi.Environment["CHARTER_KEY"] = key;
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
            throw new TimeoutException($"node {scenario} ran over 90 s: {await stderr}");
        }

        var output = await stdout;
        Assert.True(process.ExitCode == 0, $"node {scenario} exited with {process.ExitCode}: {await stderr}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    // test/js/openai-client.mjs in the repository; its node_modules come from eng/js.sh (test.sh).
    private static string FindScript()
    {
        var js = Path.Combine(RepoPaths.Root, "test", "js");
        var sdk = Path.Combine(js, "node_modules", "openai", "package.json");
        return File.Exists(sdk) ? Path.Combine(js, "openai-client.mjs") : throw new InvalidOperationException($"The openai npm package is not installed: run eng/js.sh (test.sh does). Looked for {sdk}.");
    }
}
