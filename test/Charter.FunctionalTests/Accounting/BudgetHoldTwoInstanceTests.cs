// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.ClientModel;
using System.Net.Http.Json;
using System.Text.Json;
using Charter.FunctionalTests.Infrastructure;
using Charter.Hosting;
using Charter.Tests.Common;
using OpenAI.Chat;

namespace Charter.FunctionalTests.Accounting;

/// <summary>Two gateway instances on one database and one Redis: a team's spent budget holds the team on both, and raising the
/// budget through one lets the team through the other.</summary>
public sealed class BudgetHoldTwoInstanceTests
{
    private const string Team = "team-budget";

    [Fact]
    public async Task CompleteChat_TeamBudgetSpentAcrossInstancesThenRaisedOnOne_HeldOnBothThenServedByOther()
    {
        var redis = Environment.GetEnvironmentVariable("CHARTER_TEST_REDIS");
        if (string.IsNullOrWhiteSpace(redis))
        {
            throw new InvalidOperationException(
                "CHARTER_TEST_REDIS is not set. Start the test servers first: eng/services.sh start && eval \"$(eng/services.sh env)\"");
        }

        var dir = Path.Combine(Path.GetTempPath(), "charter-budget-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        var prefix = "charter-test-" + Guid.NewGuid().ToString("N")[..8] + ":";
        void Configure(CharterHostSettings s)
        {
            s.Database = Path.Combine(dir, "charter.db");
            s.Redis = redis;
            s.Overrides["limits:redis_key_prefix"] = prefix;
            s.Overrides["limits:team_defaults:daily_budget_usd"] = "0.001";
            s.Overrides["pricing:models:gpt-4o-mini:input"] = "10";
            s.Overrides["pricing:models:gpt-4o-mini:output"] = "10";
        }

        try
        {
            await using var a = await TestGateway.StartAsync(Configure, sim: o => { o.MinCompletionTokens = 20; o.MaxCompletionTokens = 20; });
            await using var b = await TestGateway.StartAsync(Configure, sim: o => { o.MinCompletionTokens = 20; o.MaxCompletionTokens = 20; });
            var (secret, _) = await a.CreateKeyAsync(Team);
            var clients = new[] { Sdk.Chat(a, secret), Sdk.Chat(b, secret) };

            // Spend alternates between the instances; the shared counters refuse once the team's budget is spent.
            ClientResultException? refused = null;
            for (var i = 0; i < 50 && refused is null; i++)
            {
                try
                {
                    await clients[i % 2].CompleteChatAsync([new UserChatMessage("spend a little")]);
                }
                catch (ClientResultException ex)
                {
                    refused = ex;
                }
            }

            Assert.NotNull(refused);
            Assert.Equal(429, refused.Status);
            Assert.Contains("charter_budget_exceeded", refused.Message, StringComparison.Ordinal);

            // The hold is in the shared database and in both instances' caches: both refuse without reaching the upstream.
            await WaitForTeamHoldAsync(b, expectHold: true);
            foreach (var (gw, client) in new[] { (a, clients[0]), (b, clients[1]) })
            {
                var upstream = gw.Simulator.RequestCount;
                var ex = await RefusedByHoldAsync(client);
                Assert.Equal(429, ex.Status);
                Assert.Contains("charter_budget_exceeded", ex.Message, StringComparison.Ordinal);
                Assert.Equal(upstream, gw.Simulator.RequestCount);
            }

            // Raise through B; A picks the new budget up from Redis and its cache drops the hold.
            using (var raise = await b.AdminAsync(HttpMethod.Put, $"admin/v1/teams/{Team}/limits", new { daily_budget_usd = 1.0m }))
            {
                var body = await raise.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
                Assert.True(raise.IsSuccessStatusCode, body.ToString());
                Assert.False(body.GetProperty("budget_hold").GetBoolean());
            }

            await WaitForTeamHoldAsync(a, expectHold: false);
            await WaitForTeamBudgetAsync(a, 1.0m);
            ChatCompletion? served = null;
            for (var i = 0; i < 200 && served is null; i++)
            {
                try
                {
                    served = await clients[0].CompleteChatAsync([new UserChatMessage("thanks")]);
                }
                catch (ClientResultException ex) when (ex.Status == 429)
                {
                    // A has not applied the change announced on the bus yet.
                    await Task.Delay(25, TestContext.Current.CancellationToken);
                }
            }

            Assert.NotNull(served);
            Assert.NotEmpty(served.Content);
        }
        finally
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

    /// <summary>The hold may still be on its way to this instance's cache: retries until a refusal comes from the hold.</summary>
    private static async Task<ClientResultException> RefusedByHoldAsync(ChatClient client)
    {
        ClientResultException? last = null;
        for (var i = 0; i < 200; i++)
        {
            last = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("still here?")]));
            if (last.Message.Contains("budget hold", StringComparison.Ordinal))
            {
                return last;
            }

            await Task.Delay(25, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"never refused by the budget hold; last refusal: {last?.Message}");
        return last!;
    }

    private static Task WaitForTeamHoldAsync(TestGateway gw, bool expectHold) =>
        WaitForTeamLimitsAsync(gw, l => l.GetProperty("budget_hold").GetBoolean() == expectHold, $"the team's budget hold never became {expectHold}");

    private static Task WaitForTeamBudgetAsync(TestGateway gw, decimal budget) =>
        WaitForTeamLimitsAsync(gw, l => l.GetProperty("daily_budget_usd").GetDecimal() == budget, $"the instance never applied the team budget {budget}");

    private static async Task WaitForTeamLimitsAsync(TestGateway gw, Func<JsonElement, bool> reached, string failure)
    {
        var text = "";
        for (var i = 0; i < 200; i++)
        {
            using var resp = await gw.AdminAsync(HttpMethod.Get, $"admin/v1/teams/{Team}/limits", null);
            text = await resp.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            resp.EnsureSuccessStatusCode();
            using var doc = JsonDocument.Parse(text);
            if (reached(doc.RootElement))
            {
                return;
            }

            await Task.Delay(25, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"{failure}: {text}");
    }
}
