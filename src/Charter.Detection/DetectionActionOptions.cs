// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Detection;

/// <summary>
/// Policy map from risk to action. Defaults: flag at risk ≥ 0.50 (the detection threshold), review at ≥ 0.70,
/// suspend at ≥ 0.90 with the measure "explain the usage and delete harvested outputs". Set a level to a value
/// above 1 to disable it (e.g. <c>SuspendAt = 2</c> for "never suspend automatically").
/// </summary>
public sealed class DetectionActionOptions
{
    public const string DefaultMeasure = "explain the usage and delete harvested outputs";

    /// <summary>Risk at or above which a finding is raised with action <see cref="DetectionAction.Flag"/>. Default 0.50.</summary>
    public double FlagAt { get; init; } = 0.50;

    /// <summary>Risk at or above which the action is <see cref="DetectionAction.Review"/>. Default 0.70.</summary>
    public double ReviewAt { get; init; } = 0.70;

    /// <summary>Risk at or above which the action is <see cref="DetectionAction.Suspend"/>. Default 0.90.</summary>
    public double SuspendAt { get; init; } = 0.90;

    /// <summary>Remediation measure attached to suspensions.</summary>
    public string SuspendMeasure { get; init; } = DefaultMeasure;

    public DetectionAction ActionFor(double risk) =>
        risk >= SuspendAt ? DetectionAction.Suspend
        : risk >= ReviewAt ? DetectionAction.Review
        : risk >= FlagAt ? DetectionAction.Flag
        : DetectionAction.None;

    /// <summary>Checks the thresholds; returns every problem found (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (FlagAt is <= 0 or > 1)
        {
            errors.Add("FlagAt must be in (0, 1].");
        }

        if (ReviewAt < FlagAt)
        {
            errors.Add("ReviewAt must be >= FlagAt.");
        }

        if (SuspendAt < ReviewAt)
        {
            errors.Add("SuspendAt must be >= ReviewAt.");
        }

        if (string.IsNullOrWhiteSpace(SuspendMeasure))
        {
            errors.Add("SuspendMeasure must not be empty.");
        }

        return errors;
    }
}
