// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.RegularExpressions;
using Charter.Detection;

namespace Charter.Tests.Detection;

/// <summary>
/// The detector is judged on unseen traffic, so the dev set is perturbed: other wording (and languages) for the
/// harvesting prompts, other rates with jitter, busier hard negatives, and harvesters that stop rotating purposes.
/// Thresholds are not re-tuned per perturbation.
/// </summary>
public sealed partial class GeneralisationTests
{
    private static readonly (Regex Pattern, string[] Replacements)[] Rewordings =
    [
        (WrapperRegex(), ["Please elaborate thoroughly on this:", "Provide an exhaustive explanation:", "Cover this topic fully, as an expert would:", "Explique en détail :"]),
        (StepRegex(), ["Reason it out one step at a time, then answer:", "Work through the chain of thought before answering:", "Löse Schritt für Schritt:", "Explain why each step holds, then answer:"]),
        (DatasetRegex(), ["Write fine-tuning samples (prompt and completion) about", "Produce a small Q&A dataset about", "Draft supervised training data about", "Genera datos de entrenamiento sobre"]),
    ];

    [Fact]
    public void Run_RewordedHarvestingPrompts_StillFlagsWithoutFalsePositives()
    {
        var (records, labels) = DevTraffic.Get();
        var extraction = ExtractionKeys(labels);
        var random = new Random(5);
        var perturbed = records.Select(r => extraction.Contains(r.Key) ? r with { PromptText = Reword(r.PromptText, random) } : r).ToList();
        var m = DetectionBacktest.Run(perturbed, labels).Metrics!;
        Assert.Empty(m.FalsePositiveKeys);
        Assert.True(m.Recall >= 0.95, $"recall {m.Recall}; missed {string.Join(", ", m.MissedKeys)}");
    }

    [Fact]
    public void Run_SlowerJitteredHarvestersAndBusierHardNegatives_StillSeparates()
    {
        var (records, labels) = DevTraffic.Get();
        var extraction = ExtractionKeys(labels);
        var first = new Dictionary<string, long>();
        foreach (var r in records)
        {
            first[r.Key] = first.TryGetValue(r.Key, out long f) ? Math.Min(f, r.TimestampMs) : r.TimestampMs;
        }

        var random = new Random(9);
        var perturbed = records.Select(r =>
        {
            long start = first[r.Key];
            double factor = extraction.Contains(r.Key) ? 3.0 : 0.5;
            long jitter = extraction.Contains(r.Key) ? random.NextInt64(0, 120_000) : 0;
            return r with { TimestampMs = start + (long)((r.TimestampMs - start) * factor) + jitter };
        }).ToList();
        var m = DetectionBacktest.Run(perturbed, labels).Metrics!;
        Assert.Empty(m.FalsePositiveKeys);
        Assert.True(m.Recall >= 0.95, $"recall {m.Recall}; missed {string.Join(", ", m.MissedKeys)}");
        Assert.True(m.MedianRequestsUntilFlagged < 300);
    }

    [Fact]
    public void Run_HarvestersKeepingOnePurpose_FlagsMostWithoutFalsePositives()
    {
        var (records, labels) = DevTraffic.Get();
        var extraction = ExtractionKeys(labels);
        var majority = records.Where(r => extraction.Contains(r.Key))
            .GroupBy(r => r.Key)
            .ToDictionary(g => g.Key, g => g.GroupBy(r => r.Purpose).OrderByDescending(p => p.Count()).First().Key);
        var perturbed = records.Select(r => majority.TryGetValue(r.Key, out var p) ? r with { Purpose = p } : r).ToList();
        var m = DetectionBacktest.Run(perturbed, labels).Metrics!;
        Assert.Empty(m.FalsePositiveKeys);
        Assert.True(m.Recall >= 0.85, $"recall {m.Recall}; missed {string.Join(", ", m.MissedKeys)}");
    }

    private static HashSet<string> ExtractionKeys(IReadOnlyList<DetectionLabel> labels) =>
        labels.Where(l => l.IsExtraction).Select(l => l.Key).ToHashSet(StringComparer.Ordinal);

    private static string Reword(string prompt, Random random)
    {
        foreach (var (pattern, replacements) in Rewordings)
        {
            prompt = pattern.Replace(prompt, _ => replacements[random.Next(replacements.Length)]);
        }

        return prompt;
    }

    [GeneratedRegex(@"^(Explain in depth, with examples:|Give a detailed, well-structured response:|Write a comprehensive, expert-level answer to the following:)", RegexOptions.CultureInvariant)]
    private static partial Regex WrapperRegex();

    [GeneratedRegex(@"^(Solve step by step and show all reasoning:|Think carefully, explain every step, then give the final answer:)", RegexOptions.CultureInvariant)]
    private static partial Regex StepRegex();

    [GeneratedRegex(@"^(Create \d+ new training examples \(question and ideal answer\) covering|Generate \d+ diverse instruction-response pairs about)", RegexOptions.CultureInvariant)]
    private static partial Regex DatasetRegex();
}
