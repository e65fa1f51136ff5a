// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy;

/// <summary>The effect of a policy decision or rule, ordered by severity (deny wins over flag over allow).</summary>
public enum PolicyEffect : byte
{
    /// <summary>The request may proceed.</summary>
    Allow = 0,

    /// <summary>The request may proceed and a finding is recorded.</summary>
    Flag = 1,

    /// <summary>The request is refused and never reaches the upstream.</summary>
    Deny = 2,
}
