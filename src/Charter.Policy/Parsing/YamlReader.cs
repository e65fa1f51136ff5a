// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Charter.Policy.Parsing;

/// <summary>Typed reads over YAML nodes that record an error (with file and line) instead of throwing.</summary>
internal sealed class YamlReader
{
    private readonly List<PolicyError> _errors;

    public YamlReader(string file, List<PolicyError> errors)
    {
        File = file;
        _errors = errors;
    }

    public string File { get; }

    public void Error(YamlNode? node, string message)
    {
        var line = node is null ? 0 : (int)node.Start.Line;
        var column = node is null ? 0 : (int)node.Start.Column;
        _errors.Add(new PolicyError(File, line, column, message));
    }

    public YamlMappingNode? Mapping(YamlNode node, string what)
    {
        if (node is YamlMappingNode map)
        {
            return map;
        }

        Error(node, $"{what} must be a mapping (key: value)");
        return null;
    }

    /// <summary>Enumerates the entries of a mapping, reporting keys not in <paramref name="allowed"/>.</summary>
    public IEnumerable<(string Key, YamlScalarNode KeyNode, YamlNode Value)> Entries(YamlMappingNode map, string what, string[] allowed)
    {
        foreach (var entry in map.Children)
        {
            if (entry.Key is not YamlScalarNode keyNode || keyNode.Value is null)
            {
                Error(entry.Key, $"{what}: keys must be plain strings");
                continue;
            }

            if (Array.IndexOf(allowed, keyNode.Value) < 0)
            {
                Error(keyNode, $"{what}: unknown key '{keyNode.Value}' (expected one of: {string.Join(", ", allowed)})");
                continue;
            }

            yield return (keyNode.Value, keyNode, entry.Value);
        }
    }

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode s && s.Style == YamlDotNet.Core.ScalarStyle.Plain && (s.Value is null or "" or "~" or "null");

    public string? String(YamlNode node, string what)
    {
        if (node is YamlScalarNode scalar && !IsNull(node))
        {
            return scalar.Value;
        }

        Error(node, $"{what} must be a non-empty string");
        return null;
    }

    public bool? Bool(YamlNode node, string what)
    {
        if (node is YamlScalarNode scalar && scalar.Value is { } v)
        {
            if (v is "true" or "True" or "yes")
            {
                return true;
            }

            if (v is "false" or "False" or "no")
            {
                return false;
            }
        }

        Error(node, $"{what} must be true or false");
        return null;
    }

    public double? Number(YamlNode node, string what)
    {
        if (node is YamlScalarNode scalar
            && double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && double.IsFinite(value))
        {
            return value;
        }

        Error(node, $"{what} must be a number");
        return null;
    }

    public int? Int(YamlNode node, string what, int min = 0)
    {
        if (node is YamlScalarNode scalar
            && int.TryParse(scalar.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            if (value >= min)
            {
                return value;
            }

            Error(node, $"{what} must be at least {min}, got {value}");
            return null;
        }

        Error(node, $"{what} must be an integer");
        return null;
    }

    /// <summary>A scalar or a sequence of scalars, returned with each item's node (for later reference checks).</summary>
    public List<(string Value, YamlNode Node)>? StringList(YamlNode node, string what)
    {
        var result = new List<(string, YamlNode)>();
        if (node is YamlScalarNode scalar)
        {
            if (IsNull(node))
            {
                Error(node, $"{what} must not be empty");
                return null;
            }

            result.Add((scalar.Value!, node));
            return result;
        }

        if (node is YamlSequenceNode seq)
        {
            foreach (var item in seq.Children)
            {
                if (item is YamlScalarNode s && !IsNull(item))
                {
                    result.Add((s.Value!, item));
                }
                else
                {
                    Error(item, $"{what}: every item must be a non-empty string");
                }
            }

            if (result.Count == 0 && seq.Children.Count == 0)
            {
                Error(node, $"{what} must not be empty");
                return null;
            }

            return result;
        }

        Error(node, $"{what} must be a string or a list of strings");
        return null;
    }
}
