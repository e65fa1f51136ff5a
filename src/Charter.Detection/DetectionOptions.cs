// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Detection;

/// <summary>
/// Tunables of <see cref="DetectionEngine"/>. Defaults were set on the benign keys of the development set with a
/// margin (docs/detection.md explains each). Windows are exponential decays with the given time constants.
/// </summary>
public sealed class DetectionOptions
{
    /// <summary>Short window (volume spikes). Default 1 h.</summary>
    public TimeSpan ShortWindow { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Main window over which shares are computed. Default 24 h.</summary>
    public TimeSpan MainWindow { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Baseline window (own baseline, 24 h activity profile). Default 7 d.</summary>
    public TimeSpan BaselineWindow { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Minimum requests observed before a subject is scored at all. Default 25.</summary>
    public double MinEvidence { get; init; } = 25;

    /// <summary>Requests before the coverage-sweep signal counts fully (it ramps up linearly). Default 150.</summary>
    public int CoverageWarmup { get; init; } = 150;

    /// <summary>A completion is "generative" when it has at least this many tokens... Default 300.</summary>
    public int GenerativeMinCompletionTokens { get; init; } = 300;

    /// <summary>...and at least this many times the prompt tokens. Default 8.</summary>
    public double GenerativeMinRatio { get; init; } = 8;

    /// <summary>max_tokens (times n) at or above which a request asks for a large output. Default 2048.</summary>
    public int LargeMaxTokens { get; init; } = 2048;

    /// <summary>logit_bias entries at or above which a request is probing. Default 20.</summary>
    public int LargeLogitBias { get; init; } = 20;

    /// <summary>SimHash Hamming distance within which two prompts are near duplicates. Default 12 (of 64).</summary>
    public int NearDuplicateDistance { get; init; } = 12;

    /// <summary>Evaluation prompts count as "not repeated across models" after this many later evaluation requests. Default 150.</summary>
    public int EvalRepeatHorizon { get; init; } = 150;

    /// <summary>Signal weights (risk = min(1, Σ weight × signal)); index by <see cref="DetectionSignal"/>.</summary>
    public IReadOnlyList<double> Weights { get; init; } = DefaultWeights;

    /// <summary>Share of attributed requests (system prompt and end-user id) damps the generic signals by up to this factor. Default 0.6.</summary>
    public double AttributionDamping { get; init; } = 0.6;

    /// <summary>Sample request ids kept per subject. Default 5.</summary>
    public int SampleRequestIds { get; init; } = 5;

    /// <summary>Distinct prompts remembered per key (repetition, cross-model and sweep checks). Default 2048.</summary>
    public int PromptMemory { get; init; } = 2048;

    /// <summary>Policy thresholds and actions.</summary>
    public DetectionActionOptions Actions { get; init; } = new();

    /// <summary>Weights: volume .05, output_ratio .20, template .05, coverage .35, reasoning .30, dataset .40,
    /// logit .45, sampling .35, timing .10, fan_out .15, purpose_mismatch .40.</summary>
    public static IReadOnlyList<double> DefaultWeights { get; } = [0.05, 0.20, 0.05, 0.35, 0.30, 0.40, 0.45, 0.35, 0.10, 0.15, 0.40];

    /// <summary>Checks the options; returns every problem found (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>(Actions.Validate());
        if (Weights.Count != DetectionSignals.Count)
        {
            errors.Add($"Weights must have {DetectionSignals.Count} entries.");
        }

        if (ShortWindow <= TimeSpan.Zero || MainWindow <= ShortWindow || BaselineWindow <= MainWindow)
        {
            errors.Add("Windows must satisfy 0 < short < main < baseline.");
        }

        if (MinEvidence < 1)
        {
            errors.Add("MinEvidence must be >= 1.");
        }

        if (PromptMemory < 16)
        {
            errors.Add("PromptMemory must be >= 16.");
        }

        return errors;
    }
}
