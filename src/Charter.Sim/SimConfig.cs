// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Collections.Frozen;

namespace Charter.Sim;

/// <summary>An immutable snapshot of <see cref="SimulatorOptions"/>, swapped atomically on change.</summary>
internal sealed class SimConfig
{
    public SimConfig(SimulatorOptions options)
    {
        Options = options.Clone();
        Accuracy = options.Accuracy.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        TimeToFirstToken = TimeSpan.FromMilliseconds(options.TimeToFirstTokenMs);
        Seed = SimHash.Mix((ulong)options.Seed);
    }

    /// <summary>A private copy; never mutated.</summary>
    public SimulatorOptions Options { get; }

    public FrozenDictionary<string, double> Accuracy { get; }

    public TimeSpan TimeToFirstToken { get; }

    /// <summary>The mixed seed.</summary>
    public ulong Seed { get; }

    public double AccuracyFor(string model) =>
        Accuracy.TryGetValue(model, out var value) ? value : Options.DefaultAccuracy;
}
