// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Policy.Model;
using YamlDotNet.RepresentationModel;

namespace Charter.Policy.Parsing;

/// <summary>Provider terms documents.</summary>
internal sealed partial class PolicyParser
{
    private static readonly string[] _termsKeys =
        ["kind", "id", "title", "provider", "account", "source", "prohibited_purposes", "permitted_purposes", "jurisdictions", "limits"];
    private static readonly string[] _prohibitedKeys = ["purpose", "clause", "message"];
    private static readonly string[] _jurisdictionKeys = ["source", "allow"];
    private static readonly string[] _limitKeys = ["id", "purpose", "purposes", "max_n", "max_tokens", "logprobs", "max_top_logprobs", "max_logit_bias", "message"];

    private void ParseTerms(YamlReader reader, YamlMappingNode map)
    {
        string? id = null, title = null, account = null, source = null, jurisdictionSource = null;
        ProviderKind? provider = null;
        var prohibited = new List<ProhibitedPurpose>();
        List<string>? permitted = null;
        List<string>? jurisdictions = null;
        var limits = new List<ParameterLimit>();

        foreach (var (key, keyNode, value) in reader.Entries(map, "provider-terms", _termsKeys))
        {
            switch (key)
            {
                case "id":
                    id = ReadId(reader, value, "id");
                    break;
                case "title":
                    title = reader.String(value, "title");
                    break;
                case "source":
                    source = reader.String(value, "source");
                    break;
                case "account":
                    account = reader.String(value, "account");
                    break;
                case "provider":
                    if (ReadProviders(reader, value, "provider") is [var single])
                    {
                        provider = single;
                    }
                    else if (value is YamlSequenceNode)
                    {
                        reader.Error(value, "provider must name exactly one provider kind (write one document per provider)");
                    }

                    break;
                case "prohibited_purposes":
                    ParseProhibited(reader, value, prohibited);
                    break;
                case "permitted_purposes":
                    var items = reader.StringList(value, "permitted_purposes");
                    AddPurposeRefs(reader, items, "permitted_purposes");
                    permitted = Values(items);
                    break;
                case "jurisdictions":
                    if (reader.Mapping(value, "jurisdictions") is { } jm)
                    {
                        foreach (var (jkey, _, jvalue) in reader.Entries(jm, "jurisdictions", _jurisdictionKeys))
                        {
                            if (jkey == "source")
                            {
                                jurisdictionSource = reader.String(jvalue, "jurisdictions.source");
                            }
                            else
                            {
                                jurisdictions = ReadCountries(reader, jvalue, "jurisdictions.allow");
                            }
                        }

                        if (jurisdictions is null)
                        {
                            reader.Error(jm, "jurisdictions: missing 'allow:' (the ISO country codes the provider serves)");
                        }
                    }

                    break;
                case "limits":
                    if (value is YamlSequenceNode seq)
                    {
                        var index = 0;
                        foreach (var item in seq.Children)
                        {
                            index++;
                            if (ParseLimit(reader, item, index) is { } limit)
                            {
                                limits.Add(limit);
                            }
                        }
                    }
                    else
                    {
                        reader.Error(value, "limits must be a list");
                    }

                    break;
                default:
                    break;
            }
        }

        if (id is null)
        {
            reader.Error(map, "provider-terms: missing 'id:'");
        }

        if (source is null)
        {
            reader.Error(map, $"provider-terms '{id}': missing 'source:' (where the terms come from, e.g. \"OpenAI Services Agreement §3.3\")");
        }

        if (provider is null == account is null)
        {
            reader.Error(map, $"provider-terms '{id}': give exactly one of 'provider:' (a provider kind) or 'account:' (a provider account id)");
        }

        if (id is null || source is null)
        {
            return;
        }

        var prefixed = new List<ParameterLimit>(limits.Count);
        foreach (var limit in limits)
        {
            prefixed.Add(limit with { Id = id + "." + limit.Id });
        }

        _terms.Add(new ProviderTermsDocument
        {
            File = reader.File,
            Id = id,
            Title = title,
            Provider = provider,
            Account = account,
            Source = source,
            Prohibited = prohibited,
            Permitted = permitted,
            Jurisdictions = jurisdictions,
            JurisdictionSource = jurisdictionSource,
            Limits = prefixed,
        });
    }

    private void ParseProhibited(YamlReader reader, YamlNode node, List<ProhibitedPurpose> prohibited)
    {
        if (node is not YamlSequenceNode seq)
        {
            reader.Error(node, "prohibited_purposes must be a list");
            return;
        }

        foreach (var item in seq.Children)
        {
            if (item is YamlScalarNode { Value: { } name } && !YamlReader.IsNull(item))
            {
                _purposeRefs.Add((name, reader, item, "prohibited_purposes"));
                prohibited.Add(new ProhibitedPurpose(name, null, null));
                continue;
            }

            if (reader.Mapping(item, "a prohibited purpose") is not { } map)
            {
                continue;
            }

            string? purpose = null, clause = null, message = null;
            foreach (var (key, _, value) in reader.Entries(map, "prohibited purpose", _prohibitedKeys))
            {
                switch (key)
                {
                    case "purpose":
                        purpose = reader.String(value, "purpose");
                        if (purpose is not null)
                        {
                            _purposeRefs.Add((purpose, reader, value, "prohibited_purposes"));
                        }

                        break;
                    case "clause":
                        clause = reader.String(value, "clause");
                        break;
                    default:
                        message = reader.String(value, "message");
                        break;
                }
            }

            if (purpose is null)
            {
                reader.Error(map, "prohibited purpose: missing 'purpose:'");
                continue;
            }

            prohibited.Add(new ProhibitedPurpose(purpose, clause, message));
        }
    }

    private ParameterLimit? ParseLimit(YamlReader reader, YamlNode node, int index)
    {
        if (reader.Mapping(node, "a limit") is not { } map)
        {
            return null;
        }

        var limit = new ParameterLimit { Id = "limit-" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var anyConstraint = false;
        foreach (var (key, _, value) in reader.Entries(map, "limit", _limitKeys))
        {
            switch (key)
            {
                case "id":
                    limit = limit with { Id = ReadId(reader, value, "limit id") ?? limit.Id };
                    break;
                case "purpose" or "purposes":
                    var items = reader.StringList(value, key);
                    AddPurposeRefs(reader, items, "limits." + key);
                    limit = limit with { Purposes = Values(items) };
                    break;
                case "message":
                    limit = limit with { Message = reader.String(value, "message") };
                    break;
                case "max_n":
                    anyConstraint = true;
                    limit = limit with { MaxN = reader.Int(value, "max_n", 1) };
                    break;
                case "max_tokens":
                    anyConstraint = true;
                    limit = limit with { MaxTokens = reader.Int(value, "max_tokens", 1) };
                    break;
                case "max_top_logprobs":
                    anyConstraint = true;
                    limit = limit with { MaxTopLogprobs = reader.Int(value, "max_top_logprobs") };
                    break;
                case "max_logit_bias":
                    anyConstraint = true;
                    limit = limit with { MaxLogitBias = reader.Int(value, "max_logit_bias") };
                    break;
                default:
                    anyConstraint = true;
                    limit = limit with { Logprobs = reader.Bool(value, "logprobs") };
                    break;
            }
        }

        if (!anyConstraint)
        {
            reader.Error(map, $"limit '{limit.Id}' sets no constraint (max_n, max_tokens, logprobs, max_top_logprobs, max_logit_bias)");
        }

        return limit;
    }
}
