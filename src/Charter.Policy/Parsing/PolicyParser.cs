// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.RegularExpressions;
using Charter.Policy.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Charter.Policy.Parsing;

/// <summary>Parses policy YAML into documents, collecting every error (file, line, what is wrong) rather than stopping at the first.</summary>
/// <remarks>Cross-references (purposes named in terms and rules, rule ids in <c>overrides</c>) are checked in <see cref="Finish"/>, once every file is read.</remarks>
internal sealed partial class PolicyParser
{
    private static readonly string[] _documentKinds = ["organization", "provider-terms"];
    private static readonly string[] _orgKeys = ["kind", "id", "description", "settings", "purposes", "rules"];
    private static readonly string[] _settingsKeys = ["default_effect", "default_message", "require_jurisdiction"];
    private static readonly string[] _purposeKeys = ["description", "forbidden", "message"];

    private readonly List<PolicyError> _errors = [];
    private readonly List<(string Value, YamlReader Reader, YamlNode Node, string What)> _purposeRefs = [];
    private readonly List<(string Value, YamlReader Reader, YamlNode Node, string RuleId)> _ruleRefs = [];
    private readonly HashSet<string> _declaredRuleIds = new(StringComparer.Ordinal);
    private readonly List<OrganizationDocument> _organizations = [];
    private readonly List<ProviderTermsDocument> _terms = [];

    public IReadOnlyList<PolicyError> Errors => _errors;

    public void ParseFile(string file, string text)
    {
        var reader = new YamlReader(file, _errors);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            var message = ex.InnerException is not null && ex.Message.Contains("See inner exception", StringComparison.Ordinal)
                ? ex.InnerException.Message
                : ex.Message;
            _errors.Add(new PolicyError(file, (int)ex.Start.Line, (int)ex.Start.Column, "YAML syntax error: " + message));
            return;
        }

        var any = false;
        foreach (var document in stream.Documents)
        {
            if (YamlReader.IsNull(document.RootNode))
            {
                continue;
            }

            any = true;
            ParseDocument(reader, document.RootNode);
        }

        if (!any)
        {
            _errors.Add(new PolicyError(file, 0, 0, "file contains no policy document"));
        }
    }

    private void ParseDocument(YamlReader reader, YamlNode root)
    {
        var map = reader.Mapping(root, "a policy document");
        if (map is null)
        {
            return;
        }

        string? kind = null;
        foreach (var entry in map.Children)
        {
            if (entry.Key is YamlScalarNode { Value: "kind" })
            {
                kind = reader.String(entry.Value, "kind");
                if (kind is not null && Array.IndexOf(_documentKinds, kind) < 0)
                {
                    reader.Error(entry.Value, $"unknown document kind '{kind}' (expected organization or provider-terms)");
                    return;
                }
            }
        }

        switch (kind)
        {
            case "organization":
                ParseOrganization(reader, map);
                break;
            case "provider-terms":
                ParseTerms(reader, map);
                break;
            default:
                reader.Error(map, "missing 'kind:' (organization or provider-terms)");
                break;
        }
    }

    private void ParseOrganization(YamlReader reader, YamlMappingNode map)
    {
        var id = "organization";
        var settings = new PolicySettings();
        var purposes = new List<PurposeInfo>();
        var purposeMessages = new Dictionary<string, string?>(StringComparer.Ordinal);
        var rules = new List<RuleDefinition>();
        var sawPurposes = false;

        foreach (var (key, keyNode, value) in reader.Entries(map, "organization", _orgKeys))
        {
            switch (key)
            {
                case "id":
                    id = ReadId(reader, value, "id") ?? id;
                    break;
                case "settings":
                    settings = ParseSettings(reader, value);
                    break;
                case "purposes":
                    sawPurposes = true;
                    ParsePurposes(reader, value, purposes, purposeMessages);
                    break;
                case "rules":
                    if (value is YamlSequenceNode seq)
                    {
                        foreach (var item in seq.Children)
                        {
                            if (ParseRule(reader, item) is { } rule)
                            {
                                rules.Add(rule);
                            }
                        }
                    }
                    else if (!YamlReader.IsNull(value))
                    {
                        reader.Error(value, "rules must be a list");
                    }

                    break;
                default:
                    break;
            }
        }

        if (!sawPurposes)
        {
            reader.Error(map, "organization: missing 'purposes:' (the purposes the organization recognises)");
        }

        _organizations.Add(new OrganizationDocument(reader.File, id, settings, purposes, purposeMessages, rules));
    }

    private static PolicySettings ParseSettings(YamlReader reader, YamlNode node)
    {
        var settings = new PolicySettings();
        if (reader.Mapping(node, "settings") is not { } map)
        {
            return settings;
        }

        foreach (var (key, _, value) in reader.Entries(map, "settings", _settingsKeys))
        {
            switch (key)
            {
                case "default_effect":
                    if (ParseEffect(reader, value) is { } effect)
                    {
                        settings = settings with { DefaultEffect = effect };
                    }

                    break;
                case "default_message":
                    settings = settings with { DefaultMessage = reader.String(value, "default_message") ?? settings.DefaultMessage };
                    break;
                case "require_jurisdiction":
                    settings = settings with { RequireJurisdiction = reader.Bool(value, "require_jurisdiction") ?? false };
                    break;
                default:
                    break;
            }
        }

        return settings;
    }

    private static void ParsePurposes(YamlReader reader, YamlNode node, List<PurposeInfo> purposes, Dictionary<string, string?> messages)
    {
        if (reader.Mapping(node, "purposes") is not { } map)
        {
            return;
        }

        foreach (var entry in map.Children)
        {
            if (entry.Key is not YamlScalarNode { Value: { } name } keyNode || !NameRegex().IsMatch(name))
            {
                reader.Error(entry.Key, "purpose names must be lower-case words joined by '-' (e.g. competing-model-development)");
                continue;
            }

            string? description = null;
            string? message = null;
            var forbidden = false;
            if (entry.Value is YamlScalarNode scalar && !YamlReader.IsNull(scalar))
            {
                description = scalar.Value;
            }
            else if (reader.Mapping(entry.Value, $"purpose '{name}'") is { } pm)
            {
                foreach (var (key, _, value) in reader.Entries(pm, $"purpose '{name}'", _purposeKeys))
                {
                    switch (key)
                    {
                        case "description":
                            description = reader.String(value, "description");
                            break;
                        case "forbidden":
                            forbidden = reader.Bool(value, "forbidden") ?? false;
                            break;
                        case "message":
                            message = reader.String(value, "message");
                            break;
                        default:
                            break;
                    }
                }
            }

            if (description is null)
            {
                reader.Error(keyNode, $"purpose '{name}' needs a description");
            }

            purposes.Add(new PurposeInfo(name, description ?? "", forbidden));
            messages[name] = message;
        }
    }

    private static string? ReadId(YamlReader reader, YamlNode node, string what)
    {
        var id = reader.String(node, what);
        if (id is not null && !IdRegex().IsMatch(id))
        {
            reader.Error(node, $"{what} '{id}' may contain only letters, digits, '.', '_' and '-'");
            return null;
        }

        return id;
    }

    private static PolicyEffect? ParseEffect(YamlReader reader, YamlNode node)
    {
        var text = reader.String(node, "effect");
        switch (text)
        {
            case "allow":
                return PolicyEffect.Allow;
            case "flag":
                return PolicyEffect.Flag;
            case "deny":
                return PolicyEffect.Deny;
            case null:
                return null;
            default:
                reader.Error(node, $"effect '{text}' is not one of allow, flag, deny");
                return null;
        }
    }

    private void AddPurposeRefs(YamlReader reader, List<(string Value, YamlNode Node)>? items, string what)
    {
        if (items is null)
        {
            return;
        }

        foreach (var (value, node) in items)
        {
            _purposeRefs.Add((value, reader, node, what));
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex NameRegex();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex IdRegex();
}
