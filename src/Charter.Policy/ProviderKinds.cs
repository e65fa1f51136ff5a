// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Diagnostics.CodeAnalysis;

namespace Charter.Policy;

/// <summary>Conversions between <see cref="ProviderKind"/> and its wire names.</summary>
public static class ProviderKinds
{
    /// <summary>Number of provider kinds (the size of per-kind tables).</summary>
    public const int Count = 5;

    private static readonly string[] _names = ["openai", "azure-openai", "anthropic", "openai-compatible", "sim"];

    /// <summary>All wire names, in enum order.</summary>
    public static IReadOnlyList<string> Names => _names;

    /// <summary>The wire name of a kind, e.g. `azure-openai`.</summary>
    public static string ToWireName(this ProviderKind kind) => _names[(int)kind];

    /// <summary>Parses a wire name (case-insensitive).</summary>
    public static bool TryParse(string? name, [NotNullWhen(true)] out ProviderKind? kind)
    {
        for (var i = 0; i < _names.Length; i++)
        {
            if (string.Equals(_names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                kind = (ProviderKind)i;
                return true;
            }
        }

        kind = null;
        return false;
    }
}
