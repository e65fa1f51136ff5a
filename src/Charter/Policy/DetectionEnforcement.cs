// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy;

/// <summary>What detection may do on its own (section <c>Detection</c>).</summary>
public sealed class DetectionEnforcement
{
    /// <summary>Apply review and suspend actions automatically. Default true; false records findings only.</summary>
    public bool Enforce { get; set; } = true;

    /// <summary>Deadline given with an automatic suspension, in days. Default 14.</summary>
    public int SuspendDeadlineDays { get; set; } = 14;
}
