// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy;

/// <summary>The outcome of <see cref="PolicySet.Decide"/>: every string is precomputed at load, so returning one allocates nothing.</summary>
public readonly struct PolicyDecision
{
    /// <summary>Creates a decision.</summary>
    public PolicyDecision(PolicyEffect effect, string? code, string? ruleId, string? message)
    {
        Effect = effect;
        Code = code;
        RuleId = ruleId;
        Message = message;
    }

    /// <summary>Allow, flag (allow and record a finding) or deny.</summary>
    public PolicyEffect Effect { get; }

    /// <summary>For a denial, the error code (see <see cref="PolicyDenyCodes"/>); null otherwise.</summary>
    public string? Code { get; }

    /// <summary>The id of the rule or term that decided (null only when nothing matched and the default is allow).</summary>
    public string? RuleId { get; }

    /// <summary>A human-readable explanation, suitable for the OpenAI-shaped error message.</summary>
    public string? Message { get; }

    /// <summary>True when the request may be forwarded (allow or flag).</summary>
    public bool IsAllowed => Effect != PolicyEffect.Deny;

    /// <inheritdoc/>
    public override string ToString() => Effect switch
    {
        PolicyEffect.Deny => $"deny {Code} [{RuleId}]: {Message}",
        PolicyEffect.Flag => $"flag [{RuleId}]: {Message}",
        _ => $"allow [{RuleId ?? "-"}]",
    };
}
