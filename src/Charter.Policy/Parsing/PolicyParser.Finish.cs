// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Policy.Model;

namespace Charter.Policy.Parsing;

/// <summary>Set-wide checks, once every file is parsed.</summary>
internal sealed partial class PolicyParser
{
    /// <summary>Checks references and uniqueness across files; returns the documents when there are no errors.</summary>
    public (OrganizationDocument? Organization, IReadOnlyList<ProviderTermsDocument> Terms) Finish(string setName)
    {
        OrganizationDocument? org = null;
        if (_organizations.Count == 0)
        {
            _errors.Add(new PolicyError(setName, 0, 0, "no organization document (kind: organization) in the policy set"));
        }
        else
        {
            org = _organizations[0];
            for (var i = 1; i < _organizations.Count; i++)
            {
                _errors.Add(new PolicyError(_organizations[i].File, 0, 0, $"a second organization document; the first is in {org.File} (one per policy set)"));
            }
        }

        if (org is not null)
        {
            var known = new HashSet<string>(StringComparer.Ordinal);
            foreach (var p in org.Purposes)
            {
                if (!known.Add(p.Name))
                {
                    _errors.Add(new PolicyError(org.File, 0, 0, $"purpose '{p.Name}' is defined twice"));
                }
            }

            foreach (var (value, reader, node, what) in _purposeRefs)
            {
                if (!known.Contains(value))
                {
                    reader.Error(node, $"{what}: unknown purpose '{value}' (recognised: {string.Join(", ", known)})");
                }
            }

            var ruleIds = new Dictionary<string, RuleDefinition>(StringComparer.Ordinal);
            foreach (var rule in org.Rules)
            {
                if (!ruleIds.TryAdd(rule.Id, rule))
                {
                    _errors.Add(new PolicyError(rule.File, rule.Line, 1, $"rule id '{rule.Id}' is already used on line {ruleIds[rule.Id].Line}"));
                }
            }

            foreach (var (value, reader, node, ruleId) in _ruleRefs)
            {
                if (value == ruleId)
                {
                    reader.Error(node, $"rule '{ruleId}' cannot override itself");
                }
                else if (!_declaredRuleIds.Contains(value))
                {
                    reader.Error(node, $"overrides: unknown rule id '{value}'");
                }
            }
        }

        var termIds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in _terms)
        {
            if (!termIds.TryAdd(t.Id, t.File))
            {
                _errors.Add(new PolicyError(t.File, 0, 0, $"provider-terms id '{t.Id}' is already used in {termIds[t.Id]}"));
            }
        }

        return (org, _terms);
    }
}
