// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Eval.Suites;
using Charter.Tests.Common;

namespace Charter.FunctionalTests.Eval;

/// <summary>Shared set-up for evaluation runs through a real gateway.</summary>
internal static class EvalGateway
{
    /// <summary>The three simulated models and their configured multiple-choice accuracies.</summary>
    public static readonly IReadOnlyDictionary<string, double> Configured = new Dictionary<string, double>
    {
        ["gpt-4o"] = 0.85,
        ["gpt-4o-mini"] = 0.70,
        ["llama-3.1-8b-instruct"] = 0.55,
    };

    public static Task<TestGateway> StartAsync() => TestGateway.StartAsync(sim: o =>
    {
        foreach (var (model, accuracy) in Configured)
        {
            o.Accuracy[model] = accuracy;
        }
    });

    /// <summary>The shipped multiple-choice suite (evals/general-knowledge-mc.yaml).</summary>
    public static EvalSuite McSuite()
    {
        var load = SuiteLoader.Load(Path.Combine(RepoPaths.Root, "evals", "general-knowledge-mc.yaml"));
        Assert.True(load.Success, string.Join("; ", load.Errors));
        return load.Suite!;
    }
}
