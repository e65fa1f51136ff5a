// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Detection;

/// <summary>Action recommended for a finding; the gateway's lifecycle applies it (and audits it).</summary>
public enum DetectionAction
{
    None = 0,

    /// <summary>Record the finding only.</summary>
    Flag = 1,

    /// <summary>Move the key or team to `under_review`.</summary>
    Review = 2,

    /// <summary>Suspend pending the remediation measure.</summary>
    Suspend = 3,
}
