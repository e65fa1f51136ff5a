// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Collections.Frozen;
using Charter.Policy.Model;

namespace Charter.Policy.Compilation;

/// <summary>Turns validated documents into a <see cref="PolicySet"/>: interns purposes, precomputes every denial and message.</summary>
internal static class PolicyCompiler
{
    public static PolicySet Compile(OrganizationDocument org, IReadOnlyList<ProviderTermsDocument> terms, string version, IReadOnlyList<string> files)
    {
        var purposeIds = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < org.Purposes.Count; i++)
        {
            purposeIds[org.Purposes[i].Name] = i;
        }

        var forbidden = new PolicyDecision[org.Purposes.Count];
        for (var i = 0; i < org.Purposes.Count; i++)
        {
            var purpose = org.Purposes[i];
            if (purpose.Forbidden)
            {
                var message = org.PurposeMessages.GetValueOrDefault(purpose.Name)
                    ?? $"The organization forbids the purpose '{purpose.Name}' ({purpose.Description}).";
                forbidden[i] = new PolicyDecision(PolicyEffect.Deny, PolicyDenyCodes.PolicyDenied, "org.forbidden." + purpose.Name, message);
            }
        }

        var byKind = new List<CompiledTerms>[ProviderKinds.Count];
        for (var k = 0; k < byKind.Length; k++)
        {
            byKind[k] = [];
        }

        var byAccount = new Dictionary<string, List<CompiledTerms>>(StringComparer.Ordinal);
        foreach (var document in terms)
        {
            var compiled = CompileTerms(document, purposeIds, org.Settings.RequireJurisdiction);
            if (document.Provider is { } kind)
            {
                byKind[(int)kind].Add(compiled);
            }
            else if (document.Account is { } account)
            {
                if (!byAccount.TryGetValue(account, out var list))
                {
                    byAccount[account] = list = [];
                }

                list.Add(compiled);
            }
        }

        var rules = new CompiledRule[org.Rules.Count];
        var ruleIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < org.Rules.Count; i++)
        {
            ruleIndex[org.Rules[i].Id] = i;
        }

        for (var i = 0; i < org.Rules.Count; i++)
        {
            rules[i] = CompileRule(i, org.Rules[i], purposeIds, ruleIndex);
        }

        var kindTables = new CompiledTerms[ProviderKinds.Count][];
        for (var k = 0; k < byKind.Length; k++)
        {
            kindTables[k] = [.. byKind[k]];
        }

        var accountTable = byAccount.ToFrozenDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
        var defaultDecision = new PolicyDecision(
            org.Settings.DefaultEffect,
            org.Settings.DefaultEffect == PolicyEffect.Deny ? PolicyDenyCodes.PolicyDenied : null,
            "org.default",
            org.Settings.DefaultMessage);

        return new PolicySet(version, org.Purposes, files, kindTables, accountTable, rules, forbidden, defaultDecision, org.Settings.RequireJurisdiction);
    }

    private static CompiledTerms CompileTerms(ProviderTermsDocument t, Dictionary<string, int> purposeIds, bool requireJurisdiction)
    {
        var title = t.Title ?? t.Id;
        var verdicts = new PolicyDecision[purposeIds.Count];
        if (t.Permitted is { } permitted)
        {
            var allowed = string.Join(", ", permitted);
            foreach (var (name, id) in purposeIds)
            {
                if (!permitted.Contains(name))
                {
                    verdicts[id] = new PolicyDecision(PolicyEffect.Deny, PolicyDenyCodes.PolicyDenied, t.Id + ".permitted-purposes",
                        $"{title} permit only the purposes {allowed}; '{name}' is not among them (source: {t.Source}).");
                }
            }
        }

        foreach (var prohibited in t.Prohibited)
        {
            var clause = prohibited.Clause is null ? "" : $": {prohibited.Clause}";
            verdicts[purposeIds[prohibited.Purpose]] = new PolicyDecision(PolicyEffect.Deny, PolicyDenyCodes.PolicyDenied,
                $"{t.Id}.prohibited.{prohibited.Purpose}",
                prohibited.Message ?? $"{title} prohibit the purpose '{prohibited.Purpose}'{clause} (source: {t.Source}).");
        }

        var limits = new CompiledLimit[t.Limits.Count];
        for (var i = 0; i < limits.Length; i++)
        {
            limits[i] = CompileLimit(t.Limits[i], title, t.Source, purposeIds);
        }

        var jurisdictionSource = t.JurisdictionSource ?? t.Source;
        return new CompiledTerms
        {
            Definition = t,
            PurposeVerdicts = verdicts,
            Jurisdictions = t.Jurisdictions?.ToFrozenSet(StringComparer.OrdinalIgnoreCase),
            JurisdictionDeny = new PolicyDecision(PolicyEffect.Deny, PolicyDenyCodes.JurisdictionDenied, t.Id + ".jurisdictions",
                $"{title} serve only listed countries and the caller's jurisdiction is not among them (source: {jurisdictionSource})."),
            JurisdictionUnknownDeny = new PolicyDecision(PolicyEffect.Deny, PolicyDenyCodes.JurisdictionDenied, t.Id + ".jurisdictions",
                $"{title} serve only listed countries and the caller has no jurisdiction on record (require_jurisdiction is on)."),
            Limits = limits,
        };
    }

    private static CompiledLimit CompileLimit(ParameterLimit limit, string title, string source, Dictionary<string, int> purposeIds)
    {
        var parts = new List<string>();
        if (limit.MaxN is { } n)
        {
            parts.Add($"n at most {n}");
        }

        if (limit.MaxTokens is { } mt)
        {
            parts.Add($"max_tokens at most {mt}");
        }

        if (limit.Logprobs == false)
        {
            parts.Add("no logprobs");
        }

        if (limit.MaxTopLogprobs is { } tl)
        {
            parts.Add($"top_logprobs at most {tl}");
        }

        if (limit.MaxLogitBias is { } lb)
        {
            parts.Add($"at most {lb} logit_bias entries");
        }

        var scope = limit.Purposes is { } ps ? $" for purpose {string.Join("/", ps)}" : "";
        var message = limit.Message ?? $"{title} limit requests{scope} to {string.Join(", ", parts)} (source: {source}).";
        return new CompiledLimit
        {
            Id = limit.Id,
            PurposeMask = Mask(limit.Purposes, purposeIds),
            MaxN = limit.MaxN ?? int.MaxValue,
            MaxTokens = limit.MaxTokens ?? int.MaxValue,
            LogprobsAllowed = limit.Logprobs ?? true,
            MaxTopLogprobs = limit.MaxTopLogprobs ?? int.MaxValue,
            MaxLogitBias = limit.MaxLogitBias ?? int.MaxValue,
            Deny = new PolicyDecision(PolicyEffect.Deny, PolicyDenyCodes.PolicyDenied, limit.Id, message),
        };
    }

    private static CompiledRule CompileRule(int index, RuleDefinition rule, Dictionary<string, int> purposeIds, Dictionary<string, int> ruleIndex)
    {
        var when = rule.When;
        var providerMask = 0;
        foreach (var kind in when.Providers ?? [])
        {
            providerMask |= 1 << (int)kind;
        }

        var daysMask = 0;
        foreach (var day in when.Days ?? [])
        {
            daysMask |= 1 << (int)day;
        }

        var hoursMask = 0;
        if (when.Hours is var (from, to))
        {
            // [from, to) in UTC hours, wrapping past midnight (22-06); 0-24 is the whole day.
            var count = (to - from + 24) % 24;
            count = count == 0 ? 24 : count;
            for (var i = 0; i < count; i++)
            {
                hoursMask |= 1 << ((from + i) % 24);
            }
        }

        var overrides = new int[rule.Overrides.Count];
        for (var i = 0; i < overrides.Length; i++)
        {
            overrides[i] = ruleIndex[rule.Overrides[i]];
        }

        return new CompiledRule
        {
            Index = index,
            Definition = rule,
            Decision = new PolicyDecision(rule.Effect, rule.Effect == PolicyEffect.Deny ? PolicyDenyCodes.PolicyDenied : null, rule.Id, rule.Message),
            PurposeMask = Mask(when.Purposes, purposeIds),
            ProviderMask = providerMask,
            Teams = when.Teams?.ToFrozenSet(StringComparer.Ordinal),
            Keys = when.Keys?.ToFrozenSet(StringComparer.Ordinal),
            Accounts = when.Accounts?.ToFrozenSet(StringComparer.Ordinal),
            Jurisdictions = when.Jurisdictions?.ToFrozenSet(StringComparer.OrdinalIgnoreCase),
            Models = when.Models?.ToArray(),
            N = when.N,
            MaxTokens = when.MaxTokens,
            TopLogprobs = when.TopLogprobs,
            LogitBias = when.LogitBias,
            Temperature = when.Temperature,
            Logprobs = when.Logprobs,
            Stream = when.Stream,
            DaysMask = daysMask,
            HoursMask = hoursMask,
            Overrides = overrides,
        };
    }

    private static bool[]? Mask(IReadOnlyList<string>? names, Dictionary<string, int> ids)
    {
        if (names is null)
        {
            return null;
        }

        var mask = new bool[ids.Count];
        foreach (var name in names)
        {
            mask[ids[name]] = true;
        }

        return mask;
    }
}
