// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Charter.Tests.Common;

namespace Charter.FunctionalTests.Policy;

public sealed class ProviderSuspensionTests
{
    [Fact]
    public async Task CompleteChat_AccountSuspendedUpstream_FailsOverAndPlacesHold_AdminClearsIt()
    {
        await using var gw = await PolicyGateway.StartAsync(PolicyGateway.CopyPolicies(), twoAccounts: true);
        var (key, _) = await gw.CreateKeyAsync();
        var simA = PolicyGateway.SimA(gw);
        simA.Configure(o => o.SuspendedAccount = true);

        // Every request succeeds: sim-a refuses (403 account_deactivated), the gateway fails over to sim-b.
        Assert.Null(await PolicyGateway.ChatAsync(gw, key, "evaluation"));
        Assert.Null(await PolicyGateway.ChatAsync(gw, key, "evaluation"));
        await PolicyGateway.WaitUntilAsync(async () => HasProviderHold(await PolicyGateway.HistoryAsync(gw, "accounts", "sim-a")), "the provider_suspended hold");

        var history = await PolicyGateway.HistoryAsync(gw, "accounts", "sim-a");
        var hold = Assert.Single(history.GetProperty("transitions").EnumerateArray());
        Assert.Equal("place_hold", hold.GetProperty("event").GetString());
        Assert.Equal("upstream", hold.GetProperty("actor").GetString());

        // With the hold, sim-a is no longer tried at all.
        var triedA = simA.RequestCount;
        Assert.Null(await PolicyGateway.ChatAsync(gw, key, "evaluation"));
        Assert.Equal(triedA, simA.RequestCount);
        Assert.True(gw.Simulator.RequestCount >= 3);

        // The admin clears it once the provider reinstated the account.
        simA.Configure(o => o.SuspendedAccount = false);
        var (status, _) = await PolicyGateway.TransitionAsync(gw, "accounts", "sim-a", new { @event = "clear_hold", hold = "provider_suspended", reason = "provider reinstated us" });
        Assert.Equal(200, status);
        Assert.Null(await PolicyGateway.ChatAsync(gw, key, "evaluation"));
        Assert.Equal(triedA + 1, simA.RequestCount);
    }

    [Fact]
    public async Task CompleteChat_OnlyFallbackForbiddenByPolicy_NoFailOver_403ProviderUnavailable()
    {
        var policies = PolicyGateway.CopyPolicies();
        await File.WriteAllTextAsync(Path.Combine(policies, "sim-b-account.yaml"), """
            kind: provider-terms
            id: sim-b-terms
            title: The sim-b account's contract
            account: sim-b
            source: "Test contract for sim-b: evaluation only"
            permitted_purposes: [evaluation]
            """);
        await using var gw = await PolicyGateway.StartAsync(policies, twoAccounts: true);
        var (key, _) = await gw.CreateKeyAsync();
        var simA = PolicyGateway.SimA(gw);
        simA.Configure(o => o.SuspendedAccount = true);

        // testing may not go to sim-b: sim-a's refusal is passed through, never retried on sim-b.
        var first = await PolicyGateway.ChatAsync(gw, key, "testing");
        Assert.NotNull(first);
        Assert.Equal(403, first.Value.Status);
        Assert.NotNull(await PolicyGateway.ChatAsync(gw, key, "testing"));
        await PolicyGateway.WaitUntilAsync(async () => HasProviderHold(await PolicyGateway.HistoryAsync(gw, "accounts", "sim-a")), "the provider_suspended hold");

        var denied = await PolicyGateway.ChatAsync(gw, key, "testing");

        Assert.NotNull(denied);
        Assert.Equal(403, denied.Value.Status);
        Assert.Equal("charter_provider_unavailable", denied.Value.Error.GetProperty("code").GetString());
        Assert.Contains("provider_suspended", denied.Value.Error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, gw.Simulator.RequestCount);

        // evaluation is allowed on sim-b, so it fails over there.
        Assert.Null(await PolicyGateway.ChatAsync(gw, key, "evaluation"));
        Assert.Equal(1, gw.Simulator.RequestCount);
    }

    private static bool HasProviderHold(JsonElement history) =>
        history.GetProperty("entity").GetProperty("holds").EnumerateArray().Any(h => h.GetString() == "provider_suspended");
}
