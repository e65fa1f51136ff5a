// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Policy;
using Charter.Tests.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Charter.FunctionalTests.Policy;

public sealed class PolicyReloadAndDeadlineTests
{
    [Fact]
    public async Task CompleteChat_PolicyFileChanged_DecisionChanges_BadEditKeepsLastGood()
    {
        var policies = PolicyGateway.CopyPolicies();
        await using var gw = await PolicyGateway.StartAsync(policies);
        var (key, _) = await gw.CreateKeyAsync();
        var provider = gw.App.Services.GetRequiredService<PolicyProvider>();
        var before = provider.Current.Version;
        Assert.Null(await PolicyGateway.ChatAsync(gw, key, "testing"));

        var org = Path.Combine(policies, "organization.yaml");
        await File.AppendAllTextAsync(org, """


              - id: freeze-testing
                when:
                  purpose: testing
                effect: deny
                message: "Testing traffic is frozen during the vendor audit."

            """);
        await PolicyGateway.WaitUntilAsync(async () => (await PolicyGateway.ChatAsync(gw, key, "testing")) is { } d
            && d.Error.GetProperty("rule").GetString() == "freeze-testing", "the reloaded policy to deny testing");
        var changed = provider.Current.Version;
        Assert.NotEqual(before, changed);

        await File.WriteAllTextAsync(Path.Combine(policies, "broken.yaml"), "kind: organization\nid: [unclosed\n");
        var rejected = provider.Reload();

        Assert.False(rejected.Succeeded);
        Assert.Equal(changed, provider.Current.Version);
        var still = await PolicyGateway.ChatAsync(gw, key, "testing");
        Assert.NotNull(still);
        Assert.Equal("freeze-testing", still.Value.Error.GetProperty("rule").GetString());
        Assert.Null(await PolicyGateway.ChatAsync(gw, key, "evaluation"));
    }

    [Fact]
    public async Task DeadlineSweep_DeadlinePassedWithMeasuresOpen_KeyBanned()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gw = await PolicyGateway.StartAsync(PolicyGateway.CopyPolicies(), configure: s =>
        {
            s.Overrides["Policy:SweepSeconds"] = "5";
            s.ConfigureServices = services => services.AddSingleton<TimeProvider>(time);
        });
        var (key, id) = await gw.CreateKeyAsync();
        var (status, _) = await PolicyGateway.TransitionAsync(gw, "keys", id, new
        {
            @event = "suspend",
            reason = "provider notice",
            measures = new[] { "delete scraped outputs" },
            deadline = time.GetUtcNow().AddDays(1),
        });
        Assert.Equal(200, status);
        Assert.Equal("charter_key_suspended", (await PolicyGateway.ChatAsync(gw, key, "testing"))!.Value.Error.GetProperty("code").GetString());

        time.Advance(TimeSpan.FromDays(2));
        await PolicyGateway.WaitUntilAsync(async () =>
        {
            time.Advance(TimeSpan.FromSeconds(5));
            return (await PolicyGateway.ChatAsync(gw, key, "testing")) is { } d && d.Error.GetProperty("code").GetString() == "charter_key_banned";
        }, "the deadline sweep to ban the key");

        var history = await PolicyGateway.HistoryAsync(gw, "keys", id);
        var last = history.GetProperty("transitions").EnumerateArray().Last();
        Assert.Equal("deadline_expired", last.GetProperty("event").GetString());
        Assert.Equal("system:deadline", last.GetProperty("actor").GetString());
        Assert.Equal("banned", history.GetProperty("entity").GetProperty("state").GetString());
    }
}
