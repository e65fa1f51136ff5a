// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Charter.FunctionalTests.Policy;

namespace Charter.FunctionalTests.Accounting;

/// <summary>The budget hold with a policy directory (the lifecycle check of the policy authorizer refuses first), and an admin
/// clearing the hold by hand while the budget is still spent.</summary>
public sealed class BudgetHoldPolicyTests
{
    [Fact]
    public async Task ClearHold_ByAdminWhileBudgetStillSpent_NextRequestRefusedAndHoldPlacedAgain()
    {
        await using var gw = await PolicyGateway.StartAsync(PolicyGateway.CopyPolicies(), configure: s =>
        {
            s.Overrides["limits:key_defaults:daily_budget_usd"] = "0.0005";
            s.Overrides["pricing:models:gpt-4o-mini:input"] = "10";
            s.Overrides["pricing:models:gpt-4o-mini:output"] = "10";
        });
        var (key, keyId) = await gw.CreateKeyAsync();
        (int Status, JsonElement Error)? refused = null;
        for (var i = 0; i < 50 && refused is null; i++)
        {
            refused = await PolicyGateway.ChatAsync(gw, key, "evaluation");
        }

        Assert.NotNull(refused);
        Assert.Equal(429, refused.Value.Status);
        Assert.Equal("charter_budget_exceeded", refused.Value.Error.GetProperty("code").GetString());
        await PolicyGateway.WaitUntilAsync(async () => HasBudgetHold(await PolicyGateway.HistoryAsync(gw, "keys", keyId)), "the budget hold");

        var held = await PolicyGateway.ChatAsync(gw, key, "evaluation");
        var (status, cleared) = await PolicyGateway.TransitionAsync(gw, "keys", keyId, new { @event = "clear_hold", hold = "budget", reason = "checking" });
        var again = await PolicyGateway.ChatAsync(gw, key, "evaluation");
        await PolicyGateway.WaitUntilAsync(async () => HasBudgetHold(await PolicyGateway.HistoryAsync(gw, "keys", keyId)), "the budget hold placed again");

        Assert.Equal(429, held!.Value.Status);
        Assert.Equal("charter_budget_exceeded", held.Value.Error.GetProperty("code").GetString());
        Assert.Contains("budget hold", held.Value.Error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(200, status);
        Assert.DoesNotContain("budget", cleared.GetProperty("entity").GetProperty("holds").EnumerateArray().Select(h => h.GetString()));
        Assert.Equal(429, again!.Value.Status);
        Assert.Equal("charter_budget_exceeded", again.Value.Error.GetProperty("code").GetString());
        var events = (await PolicyGateway.HistoryAsync(gw, "keys", keyId)).GetProperty("transitions").EnumerateArray()
            .Select(t => t.GetProperty("event").GetString()).ToList();
        Assert.Equal(["place_hold", "clear_hold", "place_hold"], events);
    }

    private static bool HasBudgetHold(JsonElement history) =>
        history.GetProperty("entity").GetProperty("holds").EnumerateArray().Any(h => h.GetString() == "budget");
}
