// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.ClientModel;
using System.Net.Http.Json;
using System.Text.Json;
using Charter.FunctionalTests.Infrastructure;
using Charter.Tests.Common;
using OpenAI.Chat;

namespace Charter.FunctionalTests.Accounting;

/// <summary>A spent budget refuses with 429 <c>charter_budget_exceeded</c> and places the <c>budget</c> hold; raising the budget clears it.</summary>
public sealed class BudgetHoldTests
{
    [Fact]
    public async Task CompleteChat_DailyBudgetSpentThenRaised_HeldWith429ThenServedAgain()
    {
        await using var gw = await TestGateway.StartAsync(s =>
        {
            // About 30 tokens a request at 10 USD per million: 0.0003 USD; the budget is spent after four requests.
            s.Overrides["limits:key_defaults:daily_budget_usd"] = "0.001";
            s.Overrides["pricing:models:gpt-4o-mini:input"] = "10";
            s.Overrides["pricing:models:gpt-4o-mini:output"] = "10";
        }, sim: o => { o.MinCompletionTokens = 20; o.MaxCompletionTokens = 20; });
        var (secret, keyId) = await gw.CreateKeyAsync();
        var client = Sdk.Chat(gw, secret);

        var served = 0;
        ClientResultException? refused = null;
        for (var i = 0; i < 50 && refused is null; i++)
        {
            try
            {
                await client.CompleteChatAsync([new UserChatMessage("spend a little")]);
                served++;
            }
            catch (ClientResultException ex)
            {
                refused = ex;
            }
        }

        Assert.NotNull(refused);
        Assert.InRange(served, 4, 10);
        AssertBudgetRefusal(refused);

        var history = await WaitForHoldsAsync(gw, keyId, expectHold: true);
        var placed = FindTransition(history, "place_hold");
        Assert.Equal("system:budget", placed.GetProperty("actor").GetString());
        Assert.Contains("daily budget of 0.001 USD", placed.GetProperty("reason").GetString(), StringComparison.Ordinal);

        // While the hold is on, requests are refused the same way and never reach the upstream.
        var upstreamBefore = gw.Simulator.RequestCount;
        var held = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("still here?")]));
        AssertBudgetRefusal(held);
        Assert.Equal(upstreamBefore, gw.Simulator.RequestCount);

        using var raise = await gw.AdminAsync(HttpMethod.Put, $"admin/v1/keys/{keyId}/limits", new { daily_budget_usd = 1.0m });
        var raised = await raise.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.True(raise.IsSuccessStatusCode, raised.ToString());
        Assert.False(raised.GetProperty("budget_hold").GetBoolean());
        Assert.Equal(1.0m, raised.GetProperty("daily_budget_usd").GetDecimal());

        ChatCompletion again = await client.CompleteChatAsync([new UserChatMessage("thanks")]);
        Assert.NotEmpty(again.Content);
        var after = await WaitForHoldsAsync(gw, keyId, expectHold: false);
        var clearedBy = FindTransition(after, "clear_hold");
        Assert.StartsWith("admin:", clearedBy.GetProperty("actor").GetString(), StringComparison.Ordinal);
    }

    private static void AssertBudgetRefusal(ClientResultException ex)
    {
        Assert.Equal(429, ex.Status);
        var response = ex.GetRawResponse()!;
        Assert.True(response.Headers.TryGetValue("retry-after", out var retryAfter), "429 without retry-after");
        Assert.InRange(int.Parse(retryAfter!, System.Globalization.CultureInfo.InvariantCulture), 1, 86_400);
        using var body = JsonDocument.Parse(response.Content.ToString());
        var error = body.RootElement.GetProperty("error");
        Assert.Equal("charter_budget_exceeded", error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.True(error.TryGetProperty("type", out _));
    }

    /// <summary>Reads the key's lifecycle history until it shows (or no longer shows) the budget hold; the placement runs in the background.</summary>
    private static async Task<JsonElement> WaitForHoldsAsync(TestGateway gw, string keyId, bool expectHold)
    {
        JsonElement history = default;
        for (var i = 0; i < 200; i++)
        {
            using var resp = await gw.AdminAsync(HttpMethod.Get, $"admin/v1/keys/{keyId}/history", null);
            resp.EnsureSuccessStatusCode();
            history = await resp.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
            var holds = history.GetProperty("entity").GetProperty("holds").EnumerateArray().Select(h => h.GetString()).ToList();
            if (holds.Contains("budget") == expectHold)
            {
                return history;
            }

            await Task.Delay(25, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"the key's holds never {(expectHold ? "included" : "dropped")} budget: {history}");
        return history;
    }

    private static JsonElement FindTransition(JsonElement history, string @event)
    {
        JsonElement? found = null;
        foreach (var t in history.GetProperty("transitions").EnumerateArray())
        {
            if (t.GetProperty("event").GetString() == @event)
            {
                found = t;
            }
        }

        Assert.True(found.HasValue, $"no {@event} transition in {history}");
        return found.Value;
    }
}
