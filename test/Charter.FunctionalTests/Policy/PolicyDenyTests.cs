// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Tests.Common;

namespace Charter.FunctionalTests.Policy;

public sealed class PolicyDenyTests
{
    [Fact]
    public async Task CompleteChat_ProhibitedPurpose_403PolicyDeniedWithTermsRule_NothingForwarded()
    {
        await using var gw = await PolicyGateway.StartAsync(PolicyGateway.CopyPolicies());
        var (key, _) = await gw.CreateKeyAsync(purposes: ["evaluation", "competing-model-development"]);

        var denied = await PolicyGateway.ChatAsync(gw, key, "competing-model-development");

        Assert.NotNull(denied);
        Assert.Equal(403, denied.Value.Status);
        Assert.Equal("charter_policy_denied", denied.Value.Error.GetProperty("code").GetString());
        Assert.Equal("sim-terms.prohibited.competing-model-development", denied.Value.Error.GetProperty("rule").GetString());
        Assert.Contains("competing-model-development", denied.Value.Error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, PolicyGateway.SimA(gw).RequestCount);
        Assert.Null(await PolicyGateway.ChatAsync(gw, key, "evaluation"));
    }

    [Fact]
    public async Task CompleteChat_KeyJurisdictionOutsideAllowList_403JurisdictionDenied()
    {
        await using var gw = await PolicyGateway.StartAsync(PolicyGateway.CopyPolicies());
        var (key, _) = await gw.CreateKeyAsync(jurisdiction: "CN");

        var denied = await PolicyGateway.ChatAsync(gw, key, "evaluation");

        Assert.NotNull(denied);
        Assert.Equal(403, denied.Value.Status);
        Assert.Equal("charter_jurisdiction_denied", denied.Value.Error.GetProperty("code").GetString());
        Assert.Equal("sim-terms.jurisdictions", denied.Value.Error.GetProperty("rule").GetString());
        Assert.Equal(0, PolicyGateway.SimA(gw).RequestCount);
    }

    [Fact]
    public async Task CompleteChat_PurposeNotGranted_403PurposeNotGranted()
    {
        await using var gw = await PolicyGateway.StartAsync(PolicyGateway.CopyPolicies());
        var (key, _) = await gw.CreateKeyAsync(purposes: ["testing"]);

        var denied = await PolicyGateway.ChatAsync(gw, key, "production");

        Assert.NotNull(denied);
        Assert.Equal(403, denied.Value.Status);
        Assert.Equal("charter_purpose_not_granted", denied.Value.Error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task CompleteChat_KeySuspendedWithMeasures_403NamesMeasures_HistoryShowsActorReasonAndDenial()
    {
        await using var gw = await PolicyGateway.StartAsync(PolicyGateway.CopyPolicies());
        var (key, id) = await gw.CreateKeyAsync();
        var (status, body) = await PolicyGateway.TransitionAsync(gw, "keys", id, new
        {
            @event = "suspend",
            reason = "provider notice 2026-10-01",
            measures = new[] { "delete scraped outputs", "retrain staff" },
            deadline = DateTimeOffset.UtcNow.AddDays(7),
        });
        Assert.Equal(200, status);
        Assert.Equal("suspended", body.GetProperty("to").GetString());

        var denied = await PolicyGateway.ChatAsync(gw, key, "testing");

        Assert.NotNull(denied);
        Assert.Equal(403, denied.Value.Status);
        Assert.Equal("charter_key_suspended", denied.Value.Error.GetProperty("code").GetString());
        var message = denied.Value.Error.GetProperty("message").GetString()!;
        Assert.Contains("provider notice 2026-10-01", message, StringComparison.Ordinal);
        Assert.Contains("delete scraped outputs", message, StringComparison.Ordinal);

        await gw.WaitForRecordsAsync();
        var history = await PolicyGateway.HistoryAsync(gw, "keys", id);
        var t = Assert.Single(history.GetProperty("transitions").EnumerateArray());
        Assert.Equal("suspend", t.GetProperty("event").GetString());
        Assert.Equal("admin:bootstrap", t.GetProperty("actor").GetString());
        Assert.Equal("provider notice 2026-10-01", t.GetProperty("reason").GetString());
        var d = Assert.Single(history.GetProperty("decisions").EnumerateArray());
        Assert.Equal("deny", d.GetProperty("decision").GetString());
        Assert.Equal("charter_key_suspended", d.GetProperty("code").GetString());

        // Reinstating needs every measure done; then the key works again.
        var (refused, error) = await PolicyGateway.TransitionAsync(gw, "keys", id, new { @event = "reinstate" });
        Assert.Equal(409, refused);
        Assert.Equal("measures_open", error.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(200, (await PolicyGateway.TransitionAsync(gw, "keys", id, new { @event = "complete_measure", measure_index = 0 })).Status);
        Assert.Equal(200, (await PolicyGateway.TransitionAsync(gw, "keys", id, new { @event = "complete_measure", measure_index = 1 })).Status);
        Assert.Equal(200, (await PolicyGateway.TransitionAsync(gw, "keys", id, new { @event = "reinstate", reason = "measures verified" })).Status);
        Assert.Null(await PolicyGateway.ChatAsync(gw, key, "testing"));
    }

    [Fact]
    public async Task CompleteChat_KeyBanned_403KeyBanned()
    {
        await using var gw = await PolicyGateway.StartAsync(PolicyGateway.CopyPolicies());
        var (key, id) = await gw.CreateKeyAsync();
        Assert.Equal(200, (await PolicyGateway.TransitionAsync(gw, "keys", id, new { @event = "ban", reason = "confirmed distillation" })).Status);

        var denied = await PolicyGateway.ChatAsync(gw, key, "testing");

        Assert.NotNull(denied);
        Assert.Equal(403, denied.Value.Status);
        Assert.Equal("charter_key_banned", denied.Value.Error.GetProperty("code").GetString());
        Assert.Contains("confirmed distillation", denied.Value.Error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transition_Illegal_409NamesAllowedEvents()
    {
        await using var gw = await PolicyGateway.StartAsync(PolicyGateway.CopyPolicies());
        var (_, id) = await gw.CreateKeyAsync();

        var (status, body) = await PolicyGateway.TransitionAsync(gw, "keys", id, new { @event = "reinstate", reason = "nothing to reinstate" });

        Assert.Equal(409, status);
        var error = body.GetProperty("error");
        Assert.Equal("illegal_transition", error.GetProperty("code").GetString());
        var allowed = error.GetProperty("allowed_events").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("suspend", allowed);
        Assert.Contains("suspend", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteChat_TeamSuspended_403TeamSuspended_KeyStateUnchanged()
    {
        await using var gw = await PolicyGateway.StartAsync(PolicyGateway.CopyPolicies());
        var (key, id) = await gw.CreateKeyAsync(team: "ml-research");
        var (status, _) = await PolicyGateway.TransitionAsync(gw, "teams", "ml-research", new
        {
            @event = "suspend",
            reason = "provider notice",
            measures = new[] { "audit the team's usage" },
        });
        Assert.Equal(200, status);

        var denied = await PolicyGateway.ChatAsync(gw, key, "testing");

        Assert.NotNull(denied);
        Assert.Equal(403, denied.Value.Status);
        Assert.Equal("charter_team_suspended", denied.Value.Error.GetProperty("code").GetString());
        Assert.Contains("audit the team's usage", denied.Value.Error.GetProperty("message").GetString(), StringComparison.Ordinal);
        var keyHistory = await PolicyGateway.HistoryAsync(gw, "keys", id);
        Assert.Equal("active", keyHistory.GetProperty("entity").GetProperty("state").GetString());
    }
}
