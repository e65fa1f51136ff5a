// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Charter.Tests.Common;

namespace Charter.FunctionalTests.Infrastructure;

/// <summary><c>charter serve</c> as its own process (for what needs a process: kill -9, process-wide runtime settings).</summary>
internal static class GatewayProcess
{
    /// <summary>Starts the CLI's <c>serve</c> on SQLite in <paramref name="dir"/>, forwarding to <paramref name="simUrl"/>.</summary>
    public static Process Start(string dir, string url, string simUrl, IReadOnlyDictionary<string, string>? environment = null)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "Charter.Cli.dll");
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { cli, "serve", "--urls", url, "--db", Path.Combine(dir, "charter.db"), "--upstream", simUrl + "/v1" })
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["CHARTER_ADMIN_KEY"] = TestGateway.AdminKey;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }

        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    /// <summary>Polls <c>/healthz</c> for up to 30 s.</summary>
    public static async Task WaitHealthyAsync(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 300; i++)
        {
            try
            {
                if ((await http.GetAsync(url + "/healthz")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the gateway did not start");
    }

    /// <summary>Creates a key for <paramref name="team"/> with the purpose <c>testing</c> through the admin API; returns the secret.</summary>
    public static async Task<string> CreateKeyAsync(string url, string team)
    {
        using var http = new HttpClient();
        using var req = new HttpRequestMessage(HttpMethod.Post, url + "/admin/v1/keys")
        {
            Content = JsonContent.Create(new Dictionary<string, object> { ["team"] = team, ["purposes"] = new[] { "testing" } }),
        };
        req.Headers.Authorization = new("Bearer", TestGateway.AdminKey);
        using var resp = await http.SendAsync(req);
        resp.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("key").GetString()!;
    }

    /// <summary>A free loopback port.</summary>
    public static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>Deletes a test's working directory, ignoring files a killed process still held.</summary>
    public static void DeleteDirectory(string dir)
    {
        try
        {
            // A gateway killed leaves its journal's memory files (/dev/shm/charter-journal-<instance-id>) for its next start
            // to recover; a test that does not start it again removes them with its folder.
            foreach (var id in Directory.Exists(dir) ? Directory.EnumerateFiles(dir, "instance-id", SearchOption.AllDirectories) : [])
            {
                var memory = Path.Combine("/dev/shm", "charter-journal-" + File.ReadAllText(id).Trim());
                if (Directory.Exists(memory))
                {
                    Directory.Delete(memory, recursive: true);
                }
            }

            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
