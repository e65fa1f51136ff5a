// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Collections.Frozen;
using Charter.Policy.Model;

namespace Charter.Policy.Compilation;

/// <summary>One provider-terms document compiled: per-purpose verdicts, a jurisdiction set and limits, every denial precomputed.</summary>
internal sealed class CompiledTerms
{
    public required ProviderTermsDocument Definition { get; init; }

    /// <summary>Indexed by purpose id: the denial for a prohibited or not-permitted purpose, or default (allow).</summary>
    public required PolicyDecision[] PurposeVerdicts { get; init; }

    /// <summary>Null when the terms list no jurisdictions.</summary>
    public FrozenSet<string>? Jurisdictions { get; init; }

    public required PolicyDecision JurisdictionDeny { get; init; }

    public required PolicyDecision JurisdictionUnknownDeny { get; init; }

    public required CompiledLimit[] Limits { get; init; }

    /// <summary>First denial these terms give the request, or default (allow). Order: purpose, jurisdiction, limits.</summary>
    public PolicyDecision Check(int purposeId, in PolicyRequest r, bool requireJurisdiction)
    {
        var verdict = PurposeVerdicts[purposeId];
        if (verdict.Effect == PolicyEffect.Deny)
        {
            return verdict;
        }

        if (Jurisdictions is not null)
        {
            if (r.Jurisdiction is null)
            {
                if (requireJurisdiction)
                {
                    return JurisdictionUnknownDeny;
                }
            }
            else if (!Jurisdictions.Contains(r.Jurisdiction))
            {
                return JurisdictionDeny;
            }
        }

        foreach (var limit in Limits)
        {
            if (limit.IsViolated(purposeId, in r))
            {
                return limit.Deny;
            }
        }

        return default;
    }

    /// <summary>Every denial these terms give the request (for explain; allocates).</summary>
    public void CollectViolations(int purposeId, in PolicyRequest r, bool requireJurisdiction, List<PolicyMatch> matches)
    {
        var source = Definition.Source;
        if (purposeId >= 0 && PurposeVerdicts[purposeId].Effect == PolicyEffect.Deny)
        {
            matches.Add(PolicyMatch.From("terms", PurposeVerdicts[purposeId], source));
        }

        if (Jurisdictions is not null)
        {
            if (r.Jurisdiction is null ? requireJurisdiction : !Jurisdictions.Contains(r.Jurisdiction))
            {
                var deny = r.Jurisdiction is null ? JurisdictionUnknownDeny : JurisdictionDeny;
                matches.Add(PolicyMatch.From("terms", deny, Definition.JurisdictionSource ?? source));
            }
        }

        foreach (var limit in Limits)
        {
            if (limit.IsViolated(purposeId, in r))
            {
                matches.Add(PolicyMatch.From("terms", limit.Deny, source));
            }
        }
    }
}
