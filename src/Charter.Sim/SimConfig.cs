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

    /// <summary>How long a whole (non-streamed) answer of <paramref name="steps"/> tokens per choice waits: the time to first token,
    /// then the rest of the tokens at <see cref="SimulatorOptions.TokensPerSecond"/>, as a stream of it would take.</summary>
    public TimeSpan WholeAnswerDelay(int steps) =>
        Options.TokensPerSecond > 0 && steps > 1 ? TimeToFirstToken + TimeSpan.FromSeconds((steps - 1) / Options.TokensPerSecond) : TimeToFirstToken;

    public double AccuracyFor(string model) =>
        Accuracy.TryGetValue(model, out var value) ? value : Options.DefaultAccuracy;
}
