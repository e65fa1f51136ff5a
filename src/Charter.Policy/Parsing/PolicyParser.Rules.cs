// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Policy.Model;
using YamlDotNet.RepresentationModel;

namespace Charter.Policy.Parsing;

/// <summary>Organization rules and their conditions.</summary>
internal sealed partial class PolicyParser
{
    private static readonly string[] _ruleKeys = ["id", "description", "when", "effect", "message", "overrides"];
    private static readonly string[] _whenKeys =
        ["purpose", "purposes", "team", "teams", "key", "keys", "provider", "providers", "account", "accounts",
         "model", "models", "jurisdiction", "jurisdictions", "params", "time"];
    private static readonly string[] _paramKeys = ["n", "max_tokens", "logprobs", "top_logprobs", "logit_bias", "temperature", "stream"];
    private static readonly string[] _timeKeys = ["days", "hours"];
    private static readonly string[] _comparisonKeys = ["gt", "gte", "lt", "lte", "eq"];
    private static readonly string[] _dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    private RuleDefinition? ParseRule(YamlReader reader, YamlNode node)
    {
        if (reader.Mapping(node, "a rule") is not { } map)
        {
            return null;
        }

        string? id = null;
        string? description = null;
        string? message = null;
        PolicyEffect? effect = null;
        var when = new RuleCondition();
        var overrides = new List<string>();
        var ok = true;

        foreach (var (key, _, value) in reader.Entries(map, "rule", _ruleKeys))
        {
            switch (key)
            {
                case "id":
                    id = ReadId(reader, value, "rule id");
                    ok &= id is not null;
                    break;
                case "description":
                    description = reader.String(value, "description");
                    break;
                case "message":
                    message = reader.String(value, "message");
                    break;
                case "effect":
                    effect = ParseEffect(reader, value);
                    ok &= effect is not null;
                    break;
                case "when":
                    when = ParseCondition(reader, value) ?? when;
                    break;
                case "overrides":
                    if (reader.StringList(value, "overrides") is { } refs)
                    {
                        foreach (var (refId, refNode) in refs)
                        {
                            overrides.Add(refId);
                            _ruleRefs.Add((refId, reader, refNode, id ?? "?"));
                        }
                    }

                    break;
                default:
                    break;
            }
        }

        if (id is null && ok)
        {
            reader.Error(map, "rule: missing 'id:'");
        }

        if (effect is null && ok)
        {
            reader.Error(map, $"rule '{id}': missing 'effect:' (allow, flag or deny)");
        }

        if (message is null && effect is PolicyEffect.Deny or PolicyEffect.Flag)
        {
            reader.Error(map, $"rule '{id}': a {effect.Value.ToString().ToLowerInvariant()} rule needs a 'message:' telling the caller why");
        }

        if (id is not null)
        {
            // Remember the id even when the rule is invalid, so overrides naming it do not cascade into more errors.
            _declaredRuleIds.Add(id);
        }

        if (id is null || effect is null)
        {
            return null;
        }

        return new RuleDefinition(id, description, when, effect.Value, message ?? description ?? id, overrides, reader.File, (int)map.Start.Line);
    }

    private RuleCondition? ParseCondition(YamlReader reader, YamlNode node)
    {
        if (reader.Mapping(node, "when") is not { } map)
        {
            return null;
        }

        var c = new RuleCondition();
        foreach (var (key, _, value) in reader.Entries(map, "when", _whenKeys))
        {
            switch (key)
            {
                case "purpose" or "purposes":
                    var purposes = reader.StringList(value, key);
                    AddPurposeRefs(reader, purposes, "when." + key);
                    c = c with { Purposes = Values(purposes) };
                    break;
                case "team" or "teams":
                    c = c with { Teams = Values(reader.StringList(value, key)) };
                    break;
                case "key" or "keys":
                    c = c with { Keys = Values(reader.StringList(value, key)) };
                    break;
                case "account" or "accounts":
                    c = c with { Accounts = Values(reader.StringList(value, key)) };
                    break;
                case "model" or "models":
                    c = c with { Models = Values(reader.StringList(value, key)) };
                    break;
                case "jurisdiction" or "jurisdictions":
                    c = c with { Jurisdictions = ReadCountries(reader, value, key) };
                    break;
                case "provider" or "providers":
                    c = c with { Providers = ReadProviders(reader, value, key) };
                    break;
                case "params":
                    c = ParseParams(reader, value, c);
                    break;
                case "time":
                    c = ParseTime(reader, value, c);
                    break;
                default:
                    break;
            }
        }

        return c;
    }

    private static RuleCondition ParseParams(YamlReader reader, YamlNode node, RuleCondition c)
    {
        if (reader.Mapping(node, "params") is not { } map)
        {
            return c;
        }

        foreach (var (key, _, value) in reader.Entries(map, "params", _paramKeys))
        {
            c = key switch
            {
                "n" => c with { N = ParseComparison(reader, value, "params.n") },
                "max_tokens" => c with { MaxTokens = ParseComparison(reader, value, "params.max_tokens") },
                "top_logprobs" => c with { TopLogprobs = ParseComparison(reader, value, "params.top_logprobs") },
                "logit_bias" => c with { LogitBias = ParseComparison(reader, value, "params.logit_bias") },
                "temperature" => c with { Temperature = ParseComparison(reader, value, "params.temperature") },
                "logprobs" => c with { Logprobs = reader.Bool(value, "params.logprobs") },
                "stream" => c with { Stream = reader.Bool(value, "params.stream") },
                _ => c,
            };
        }

        return c;
    }

    private static NumericCondition? ParseComparison(YamlReader reader, YamlNode node, string what)
    {
        if (node is YamlScalarNode)
        {
            return reader.Number(node, what) is { } eq ? new NumericCondition(eq, true, eq, true) : null;
        }

        if (reader.Mapping(node, what) is not { } map)
        {
            return null;
        }

        double min = double.NegativeInfinity, max = double.PositiveInfinity;
        bool minInclusive = false, maxInclusive = false, any = false;
        foreach (var (key, _, value) in reader.Entries(map, what, _comparisonKeys))
        {
            if (reader.Number(value, $"{what}.{key}") is not { } v)
            {
                continue;
            }

            any = true;
            switch (key)
            {
                case "gt":
                    (min, minInclusive) = (v, false);
                    break;
                case "gte":
                    (min, minInclusive) = (v, true);
                    break;
                case "lt":
                    (max, maxInclusive) = (v, false);
                    break;
                case "lte":
                    (max, maxInclusive) = (v, true);
                    break;
                default:
                    (min, minInclusive, max, maxInclusive) = (v, true, v, true);
                    break;
            }
        }

        if (!any)
        {
            reader.Error(node, $"{what} needs at least one of gt, gte, lt, lte, eq");
            return null;
        }

        if (min > max)
        {
            reader.Error(node, $"{what} can never match (lower bound {min} is above upper bound {max})");
        }

        return new NumericCondition(min, minInclusive, max, maxInclusive);
    }

    private static RuleCondition ParseTime(YamlReader reader, YamlNode node, RuleCondition c)
    {
        if (reader.Mapping(node, "time") is not { } map)
        {
            return c;
        }

        foreach (var (key, _, value) in reader.Entries(map, "time", _timeKeys))
        {
            if (key == "days")
            {
                var days = new List<DayOfWeek>();
                foreach (var (day, dayNode) in reader.StringList(value, "time.days") ?? [])
                {
                    var index = Array.IndexOf(_dayNames, day.Length >= 3 ? day[..3].ToLowerInvariant() : day);
                    if (index < 0)
                    {
                        reader.Error(dayNode, $"time.days: '{day}' is not a day (mon, tue, wed, thu, fri, sat, sun)");
                    }
                    else
                    {
                        days.Add((DayOfWeek)index);
                    }
                }

                c = c with { Days = days };
            }
            else
            {
                var text = reader.String(value, "time.hours");
                var parts = text?.Split('-');
                if (parts is { Length: 2 }
                    && int.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var from)
                    && int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var to)
                    && from is >= 0 and <= 23 && to is >= 0 and <= 24 && from != to)
                {
                    c = c with { Hours = (from, to) };
                }
                else if (text is not null)
                {
                    reader.Error(value, $"time.hours '{text}' must be 'FROM-TO' in whole UTC hours, e.g. '09-17' or '22-06'");
                }
            }
        }

        return c;
    }

    private static List<ProviderKind>? ReadProviders(YamlReader reader, YamlNode node, string what)
    {
        var items = reader.StringList(node, what);
        if (items is null)
        {
            return null;
        }

        var kinds = new List<ProviderKind>();
        foreach (var (value, itemNode) in items)
        {
            if (ProviderKinds.TryParse(value, out var kind))
            {
                kinds.Add(kind.Value);
            }
            else
            {
                reader.Error(itemNode, $"{what}: unknown provider kind '{value}' (expected one of: {string.Join(", ", ProviderKinds.Names)})");
            }
        }

        return kinds;
    }

    private static List<string>? ReadCountries(YamlReader reader, YamlNode node, string what)
    {
        var items = reader.StringList(node, what);
        if (items is null)
        {
            return null;
        }

        var codes = new List<string>();
        foreach (var (value, itemNode) in items)
        {
            if (value.Length == 2 && char.IsAsciiLetterUpper(value[0]) && char.IsAsciiLetterUpper(value[1]))
            {
                codes.Add(value);
            }
            else
            {
                reader.Error(itemNode, $"{what}: '{value}' is not an ISO 3166-1 alpha-2 country code (two upper-case letters, e.g. US)");
            }
        }

        return codes;
    }

    private static List<string>? Values(List<(string Value, YamlNode Node)>? items)
    {
        if (items is null)
        {
            return null;
        }

        var values = new List<string>(items.Count);
        foreach (var (value, _) in items)
        {
            values.Add(value);
        }

        return values;
    }
}
