// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Policy;

namespace Charter.Tests.Policy;

public sealed class PolicyProviderTests : IDisposable
{
    private readonly string _dir = PolicyTestData.CopyDefaultPoliciesToTemp();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string OrgPath => Path.Combine(_dir, "organization.yaml");

    private PolicyProvider CreateProvider(bool watch)
    {
        var load = PolicyLoader.LoadDirectory(_dir);
        Assert.True(load.Succeeded);
        return new PolicyProvider(load.Set!, new PolicyProviderOptions { Directory = _dir, Watch = watch, DebounceDelay = TimeSpan.FromMilliseconds(50) });
    }

    [Fact]
    public void Reload_ValidChange_AppliesNewVersionAndRaisesEvent()
    {
        using var provider = CreateProvider(watch: false);
        var before = provider.Current;
        PolicyReloadResult? raised = null;
        provider.Reloaded += r => raised = r;
        Assert.Equal("org.default", before.Decide(PolicyTestData.Request("research")).RuleId);

        File.AppendAllText(OrgPath, """

              - id: allow-research-everyone
                when: { purpose: research }
                effect: allow

            """);
        var result = provider.Reload();

        Assert.True(result.Succeeded);
        Assert.True(result.Changed);
        Assert.Equal(before.Version, result.PreviousVersion);
        Assert.NotEqual(before.Version, provider.Current.Version);
        Assert.Equal("allow-research-everyone", provider.Current.Decide(PolicyTestData.Request("research")).RuleId);
        Assert.Same(result, raised);
    }

    [Fact]
    public void Reload_BadChange_KeepsLastGoodPolicyAndReportsErrors()
    {
        using var provider = CreateProvider(watch: false);
        var before = provider.Current;
        PolicyReloadResult? raised = null;
        provider.Reloaded += r => raised = r;

        File.WriteAllText(OrgPath, File.ReadAllText(OrgPath).Replace("effect: allow", "effect: maybe", StringComparison.Ordinal));
        var result = provider.Reload();

        Assert.False(result.Succeeded);
        Assert.False(result.Changed);
        Assert.Same(before, provider.Current);
        Assert.Equal(before.Version, result.Version);
        Assert.Contains(result.Errors, e => e.File == "organization.yaml" && e.Line > 0 && e.Message.Contains("'maybe'", StringComparison.Ordinal));
        Assert.True(result.Errors.Count >= 4);
        Assert.Same(result, raised);
    }

    [Fact]
    public void Reload_NothingChanged_NoEvent()
    {
        using var provider = CreateProvider(watch: false);
        var raised = 0;
        provider.Reloaded += _ => raised++;

        var result = provider.Reload();

        Assert.True(result.Succeeded);
        Assert.False(result.Changed);
        Assert.Equal(0, raised);
    }

    [Fact]
    public async Task Watcher_FileEdited_ReloadsOnItsOwn()
    {
        using var provider = CreateProvider(watch: true);
        var before = provider.Current.Version;
        var reloaded = new TaskCompletionSource<PolicyReloadResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        provider.Reloaded += r => reloaded.TrySetResult(r);

        File.AppendAllText(OrgPath, "\n# edited\n");
        var result = await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

        Assert.True(result.Changed);
        Assert.NotEqual(before, provider.Current.Version);
    }

    [Fact]
    public async Task Watcher_BadEdit_ReportsErrorsAndKeepsLastGood()
    {
        using var provider = CreateProvider(watch: true);
        var before = provider.Current;
        var reloaded = new TaskCompletionSource<PolicyReloadResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        provider.Reloaded += r => reloaded.TrySetResult(r);

        File.WriteAllText(Path.Combine(_dir, "broken.yaml"), "kind: provider-terms\nid: [unclosed\n");
        var result = await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.File == "broken.yaml");
        Assert.Same(before, provider.Current);
    }
}
