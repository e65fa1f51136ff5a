// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Policy.Compilation;

namespace Charter.Policy;

/// <summary>The explain path: evaluates every stage without stopping, allocations allowed.</summary>
public sealed partial class PolicySet
{
    /// <summary>Returns the decision and every purpose check, term and rule that matched, with the policy version.</summary>
    public PolicyExplanation Explain(in PolicyRequest request)
    {
        var decision = Decide(in request);
        var matches = new List<PolicyMatch>();
        var applied = new List<string>();

        var p = -1;
        if (string.IsNullOrEmpty(request.Purpose))
        {
            matches.Add(PolicyMatch.From("purpose", _missingPurpose, null));
        }
        else if (!_purposeIds.TryGetValue(request.Purpose, out p))
        {
            p = -1;
            matches.Add(PolicyMatch.From("purpose", _unknownPurpose, null));
        }

        foreach (var terms in ApplicableTerms(in request))
        {
            applied.Add($"{terms.Definition.Id} ({terms.Definition.Source})");
            if (p >= 0)
            {
                terms.CollectViolations(p, in request, _requireJurisdiction, matches);
            }
        }

        if (p >= 0 && _forbidden[p].Effect == PolicyEffect.Deny)
        {
            matches.Add(PolicyMatch.From("purpose", _forbidden[p], null));
        }

        var matchedRules = new List<int>();
        foreach (var rule in _rules)
        {
            if (rule.MatchesPurposeAndProvider(p, request.Provider) && rule.Matches(in request))
            {
                matchedRules.Add(rule.Index);
            }
        }

        var anyEffective = false;
        foreach (var index in matchedRules)
        {
            var rule = _rules[index];
            var suppressor = SuppressedBy(matchedRules.ToArray(), index);
            anyEffective |= suppressor is null;
            matches.Add(PolicyMatch.From("rule", rule.Decision, $"{rule.Definition.File}:{rule.Definition.Line}") with
            {
                SuppressedBy = suppressor?.Definition.Id,
            });
        }

        if (!anyEffective && p >= 0)
        {
            matches.Add(PolicyMatch.From("default", _default, null));
        }

        var decisiveFound = false;
        for (var i = 0; i < matches.Count; i++)
        {
            var m = matches[i];
            if (!decisiveFound && m.SuppressedBy is null && m.RuleId == decision.RuleId && m.Effect == decision.Effect)
            {
                matches[i] = m with { Decisive = true };
                decisiveFound = true;
            }
        }

        return new PolicyExplanation { PolicyVersion = Version, Decision = decision, Matches = matches, AppliedTerms = applied };
    }

    private List<CompiledTerms> ApplicableTerms(in PolicyRequest request)
    {
        var result = new List<CompiledTerms>(_termsByKind[(int)request.Provider]);
        if (request.AccountId is { } account && _termsByAccount.TryGetValue(account, out var accountTerms))
        {
            result.AddRange(accountTerms);
        }

        return result;
    }
}
