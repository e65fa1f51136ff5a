// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Detection;

/// <summary>Helpers for <see cref="DetectionSignal"/>: count and stable snake_case names used in JSON.</summary>
public static class DetectionSignals
{
    public const int Count = 11;

    private static readonly string[] Names =
    [
        "volume", "output_ratio", "template_concentration", "coverage_sweep", "reasoning_elicitation",
        "dataset_instructions", "logit_probing", "sampling_sweep", "timing", "fan_out", "purpose_mismatch",
    ];

    public static string Name(DetectionSignal signal) => Names[(int)signal];
}
