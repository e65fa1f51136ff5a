// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Eval.Suites;

namespace Charter.Benchmarks.Eval;

/// <summary>Finds and loads the shipped multiple-choice suite (evals/general-knowledge-mc.yaml).</summary>
internal static class EvalBenchData
{
    public static EvalSuite LoadMcSuite()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "evals", "general-knowledge-mc.yaml")))
        {
            dir = dir.Parent;
        }

        var path = Path.Combine(dir?.FullName ?? Environment.CurrentDirectory, "evals", "general-knowledge-mc.yaml");
        var load = SuiteLoader.Load(path);
        return load.Success ? load.Suite! : throw new InvalidOperationException(string.Join("; ", load.Errors));
    }
}
