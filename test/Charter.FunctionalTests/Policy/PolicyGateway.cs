// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.ClientModel;
using System.Net.Http.Json;
using System.Text.Json;
using Charter.FunctionalTests.Infrastructure;
using Charter.Hosting;
using Charter.Sim;
using Charter.Tests.Common;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Chat;

namespace Charter.FunctionalTests.Policy;

/// <summary>Starts a gateway with a copy of the shipped policies and one or two sim accounts, and drives the lifecycle API.</summary>
internal static class PolicyGateway
{
    /// <summary>Copies ./policies (repo root) into a fresh temp directory.</summary>
    public static string CopyPolicies()
    {
        var target = Path.Combine(Path.GetTempPath(), "charter-pol-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(target);
        foreach (var f in Directory.GetFiles(Path.Combine(RepoPaths.Root, "policies"), "*.yaml"))
        {
            File.Copy(f, Path.Combine(target, Path.GetFileName(f)));
        }

        return target;
    }

    /// <summary>Account <c>sim-a</c> is the gateway's in-process simulator; with <paramref name="twoAccounts"/>, <c>sim-b</c> is the HTTP simulator (fallback).</summary>
    public static Task<TestGateway> StartAsync(string policies, bool twoAccounts = false, Action<CharterHostSettings>? configure = null) =>
        TestGateway.StartAsync(s =>
        {
            s.Policies = policies;
            s.Overrides["Providers:Accounts:0:Id"] = "sim-a";
            s.Overrides["Providers:Accounts:0:Kind"] = "sim";
            if (twoAccounts)
            {
                s.Overrides["Providers:Accounts:1:Id"] = "sim-b";
                s.Overrides["Providers:Accounts:1:Kind"] = "sim";
                s.Overrides["Providers:Accounts:1:BaseUrl"] = s.Upstream;
            }

            configure?.Invoke(s);
        });

    /// <summary>The in-process simulator behind account sim-a.</summary>
    public static Simulator SimA(TestGateway gw) => gw.App.Services.GetRequiredService<Simulator>();

    public static async Task<(int Status, JsonElement Body)> TransitionAsync(TestGateway gw, string kind, string id, object body)
    {
        using var req = new HttpRequestMessage(HttpMethod.Post, $"admin/v1/{kind}/{id}/transitions") { Content = JsonContent.Create(body) };
        req.Headers.Authorization = new("Bearer", TestGateway.AdminKey);
        using var resp = await gw.Http.SendAsync(req);
        var text = await resp.Content.ReadAsStringAsync();
        return ((int)resp.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    public static async Task<JsonElement> HistoryAsync(TestGateway gw, string kind, string id)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, $"admin/v1/{kind}/{id}/history");
        req.Headers.Authorization = new("Bearer", TestGateway.AdminKey);
        using var resp = await gw.Http.SendAsync(req);
        resp.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await resp.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>Sends one chat request; returns null on success, else the status and the OpenAI error object.</summary>
    public static async Task<(int Status, JsonElement Error)?> ChatAsync(TestGateway gw, string key, string? purpose = null, string model = "gpt-4o-mini")
    {
        var client = Sdk.Chat(gw, key, model, purpose);
        try
        {
            await client.CompleteChatAsync([new UserChatMessage("hello")]);
            return null;
        }
        catch (ClientResultException ex)
        {
            var raw = ex.GetRawResponse();
            Assert.NotNull(raw);
            return (ex.Status, JsonDocument.Parse(raw.Content.ToString()).RootElement.GetProperty("error").Clone());
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds (no timing assertion: fails only after a generous limit).</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        for (var i = 0; i < 200; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail("Timed out waiting for " + what);
    }
}
