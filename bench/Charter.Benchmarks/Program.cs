// Copyright (c) Charter contributors. Licensed under the MIT License.

using BenchmarkDotNet.Running;

namespace Charter.Benchmarks;

/// <summary>Entry point: `dotnet run -c Release --project bench/Charter.Benchmarks -- --filter *`.</summary>
public static class BenchmarkProgram
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
}
