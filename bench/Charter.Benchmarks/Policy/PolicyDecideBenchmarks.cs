// Copyright (c) Charter contributors. Licensed under the MIT License.

using BenchmarkDotNet.Attributes;
using Charter.Policy;
using Charter.Policy.Lifecycle;

namespace Charter.Benchmarks.Policy;

/// <summary>Per-request cost of the policy decision and the lifecycle access check on the shipped default policy.</summary>
/// <remarks>Budget: a few microseconds and 0 B allocated per Decide.</remarks>
[MemoryDiagnoser]
public class PolicyDecideBenchmarks
{
    private PolicySet _set = null!;
    private PolicyRequest _allow;
    private PolicyRequest _termsDeny;
    private PolicyRequest _jurisdictionDeny;
    private PolicyRequest _flag;
    private PolicyRequest _override;
    private EntityLifecycle _key = null!;
    private EntityLifecycle _team = null!;
    private EntityLifecycle _account = null!;

    [GlobalSetup]
    public void Setup()
    {
        var result = PolicyLoader.LoadDirectory(FindPolicies());
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, result.Errors));
        }

        _set = result.Set!;
        var at = new DateTimeOffset(2026, 10, 5, 12, 0, 0, TimeSpan.Zero);
        _allow = new PolicyRequest
        {
            KeyId = "ck-1", TeamId = "team-a", Purpose = "evaluation", Provider = ProviderKind.OpenAI, AccountId = "openai-main",
            Model = "gpt-4o", Jurisdiction = "DE", MaxTokens = 1024, Temperature = 0.2, Timestamp = at,
        };
        _termsDeny = _allow with { Purpose = "competing-model-development" };
        _jurisdictionDeny = _allow with { Jurisdiction = "CN" };
        _flag = _allow with { Purpose = "production", Logprobs = true, N = 12 };
        _override = _allow with { Purpose = "production", Logprobs = true, TeamId = "ml-platform" };
        _key = EntityLifecycle.CreateActive(EntityKind.Key, "ck-1", at);
        _team = EntityLifecycle.CreateActive(EntityKind.Team, "team-a", at);
        _account = EntityLifecycle.CreateActive(EntityKind.Account, "openai-main", at);
    }

    [Benchmark(Baseline = true)]
    public PolicyDecision DecideAllow() => _set.Decide(in _allow);

    [Benchmark]
    public PolicyDecision DecideTermsDeny() => _set.Decide(in _termsDeny);

    [Benchmark]
    public PolicyDecision DecideJurisdictionDeny() => _set.Decide(in _jurisdictionDeny);

    [Benchmark]
    public PolicyDecision DecideFlag() => _set.Decide(in _flag);

    [Benchmark]
    public PolicyDecision DecideWithOverride() => _set.Decide(in _override);

    [Benchmark]
    public AccessDecision AccessCheckAllowed() => AccessCheck.Evaluate(_key, _team, _account);

    [Benchmark]
    public PolicyExplanation Explain() => _set.Explain(in _flag);

    private static string FindPolicies()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Charter.slnx")))
                {
                    return Path.Combine(dir.FullName, "policies");
                }
            }
        }

        throw new InvalidOperationException("cannot find the repository's policies/ directory");
    }
}
