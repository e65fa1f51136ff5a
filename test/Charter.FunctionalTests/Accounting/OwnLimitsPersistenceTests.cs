// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.ClientModel;
using System.Net.Http.Json;
using System.Text.Json;
using Charter.Cli;
using Charter.FunctionalTests.Infrastructure;
using Charter.Hosting;
using Charter.Tests.Common;
using OpenAI.Chat;

namespace Charter.FunctionalTests.Accounting;

/// <summary>Own limits of keys are kept in the gateway database: they survive a restart, and a change the CLI writes into the
/// database reaches a running gateway through the change version.</summary>
public sealed class OwnLimitsPersistenceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task CompleteChat_KeyRpmSetThroughAdminApiThenRestart_ThirdRequestWithinAMinuteRefused(string database)
    {
        var dir = Directory.CreateTempSubdirectory("charter-ownlimits-").FullName;
        await using var pg = database == "postgres" ? await PostgresTestDatabase.CreateAsync() : null;
        void Configure(CharterHostSettings s)
        {
            s.Database = pg?.Url ?? Path.Combine(dir, "charter.db");
            s.Overrides["Charter:Audit:KeyDirectory"] = Path.Combine(dir, "audit-keys");
        }

        try
        {
            string secret, keyId;
            await using (var first = await TestGateway.StartAsync(Configure))
            {
                (secret, keyId) = await first.CreateKeyAsync();
                using var put = await first.AdminAsync(HttpMethod.Put, $"admin/v1/keys/{keyId}/limits", new { requests_per_minute = 2 });
                var body = await put.Content.ReadFromJsonAsync<JsonElement>(Ct);
                Assert.True(put.IsSuccessStatusCode, body.ToString());
                Assert.False(put.Headers.Contains("charter-warning"));
                Assert.Equal(2, body.GetProperty("requests_per_minute").GetInt64());
            }

            // A new process on the same database: the rate counters start empty, the own limit is read back from the database.
            await using var second = await TestGateway.StartAsync(Configure);
            var client = Sdk.Chat(second, secret);
            await client.CompleteChatAsync([new UserChatMessage("one")], cancellationToken: Ct);
            await client.CompleteChatAsync([new UserChatMessage("two")], cancellationToken: Ct);
            var refused = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("three")], cancellationToken: Ct));

            Assert.Equal(429, refused.Status);
            using var get = await second.AdminAsync(HttpMethod.Get, $"admin/v1/keys/{keyId}/limits", null);
            var limits = await get.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.True(limits.GetProperty("own").GetBoolean());
            Assert.Equal(2, limits.GetProperty("requests_per_minute").GetInt64());
        }
        finally
        {
            DeleteQuietly(dir);
        }
    }

    [Fact]
    public async Task KeysLimitsCli_DailyBudgetWrittenToDatabase_RunningGatewayAppliesIt()
    {
        await using var gw = await TestGateway.StartAsync(s =>
        {
            s.Overrides["pricing:models:gpt-4o-mini:input"] = "10";
            s.Overrides["pricing:models:gpt-4o-mini:output"] = "10";
        }, sim: o => { o.MinCompletionTokens = 20; o.MaxCompletionTokens = 20; });
        var (secret, keyId) = await gw.CreateKeyAsync();
        var client = Sdk.Chat(gw, secret);
        await client.CompleteChatAsync([new UserChatMessage("no budget yet")], cancellationToken: Ct);

        // About 0.0003 USD a request: the key is over this budget after its first request.
        Assert.Equal(0, await CliApp.RunAsync(["keys", "limits", keyId, "--daily-budget", "0.0001", "--db", gw.DatabasePath, "--json"]));

        await WaitForOwnDailyBudgetAsync(gw, keyId, 0.0001m);
        ClientResultException? refused = null;
        for (var i = 0; i < 5 && refused is null; i++)
        {
            try
            {
                await client.CompleteChatAsync([new UserChatMessage("spend a little")], cancellationToken: Ct);
            }
            catch (ClientResultException ex)
            {
                refused = ex;
            }
        }

        Assert.NotNull(refused);
        Assert.Equal(429, refused.Status);
        Assert.Contains("charter_budget_exceeded", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TeamsLimitsCli_ByNameThenReset_RunningGatewayAppliesBoth()
    {
        await using var gw = await TestGateway.StartAsync();
        await gw.CreateKeyAsync(team: "team-cli");

        Assert.Equal(0, await CliApp.RunAsync(["teams", "limits", "team-cli", "--rpm", "7", "--monthly-budget", "12.5", "--db", gw.DatabasePath]));
        var own = await WaitForTeamAsync(gw, "team-cli", l => l.GetProperty("own").GetBoolean());
        Assert.Equal(7, own.GetProperty("requests_per_minute").GetInt64());
        Assert.Equal(12.5m, own.GetProperty("monthly_budget_usd").GetDecimal());

        Assert.Equal(0, await CliApp.RunAsync(["teams", "limits", "team-cli", "--reset", "--db", gw.DatabasePath]));
        var reset = await WaitForTeamAsync(gw, "team-cli", l => !l.GetProperty("own").GetBoolean());
        Assert.Equal(0, reset.GetProperty("requests_per_minute").GetInt64());
    }

    [Fact]
    public async Task KeysLimitsCli_UnknownKeyOrNegativeValue_Fails()
    {
        await using var gw = await TestGateway.StartAsync();
        var (_, keyId) = await gw.CreateKeyAsync();

        Assert.Equal(1, await CliApp.RunAsync(["keys", "limits", "no-such-key", "--rpm", "1", "--db", gw.DatabasePath]));
        Assert.Equal(2, await CliApp.RunAsync(["keys", "limits", keyId, "--rpm", "-1", "--db", gw.DatabasePath]));
        Assert.Equal(2, await CliApp.RunAsync(["keys", "limits", keyId, "--rpm", "1", "--reset", "--db", gw.DatabasePath]));
        using var get = await gw.AdminAsync(HttpMethod.Get, $"admin/v1/keys/{keyId}/limits", null);
        Assert.False((await get.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("own").GetBoolean());
    }

    private static async Task WaitForOwnDailyBudgetAsync(TestGateway gw, string keyId, decimal budget)
    {
        var text = "";
        for (var i = 0; i < 200; i++)
        {
            using var resp = await gw.AdminAsync(HttpMethod.Get, $"admin/v1/keys/{keyId}/limits", null);
            text = await resp.Content.ReadAsStringAsync(Ct);
            resp.EnsureSuccessStatusCode();
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.GetProperty("own").GetBoolean() && doc.RootElement.GetProperty("daily_budget_usd").GetDecimal() == budget)
            {
                return;
            }

            await Task.Delay(25, Ct);
        }

        Assert.Fail($"the gateway never applied the daily budget {budget}: {text}");
    }

    private static async Task<JsonElement> WaitForTeamAsync(TestGateway gw, string team, Func<JsonElement, bool> done)
    {
        var text = "";
        for (var i = 0; i < 200; i++)
        {
            using var resp = await gw.AdminAsync(HttpMethod.Get, $"admin/v1/teams/{team}/limits", null);
            text = await resp.Content.ReadAsStringAsync(Ct);
            resp.EnsureSuccessStatusCode();
            using var doc = JsonDocument.Parse(text);
            var body = doc.RootElement.Clone();
            if (done(body))
            {
                return body;
            }

            await Task.Delay(25, Ct);
        }

        Assert.Fail($"the gateway never applied the team change: {text}");
        return default;
    }

    private static void DeleteQuietly(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
