// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text;
using System.Text.Json;

namespace Charter.Sim;

/// <summary>The fixed model list of <c>GET /v1/models</c>; any other model name is accepted too.</summary>
internal static class KnownModels
{
    /// <summary>Model id and owner, in the order listed.</summary>
    public static readonly (string Id, string OwnedBy)[] All =
    [
        ("gpt-4o", "openai"),
        ("gpt-4o-mini", "openai"),
        ("gpt-4.1", "openai"),
        ("gpt-4.1-mini", "openai"),
        ("gpt-4.1-nano", "openai"),
        ("o3-mini", "openai"),
        ("o4-mini", "openai"),
        ("gpt-5", "openai"),
        ("gpt-5-mini", "openai"),
        ("text-embedding-3-small", "openai"),
        ("text-embedding-3-large", "openai"),
        ("text-embedding-ada-002", "openai"),
        ("claude-sonnet-4", "anthropic"),
        ("claude-haiku-4", "anthropic"),
        ("llama-3.1-8b-instruct", "meta"),
    ];

    /// <summary>Unix time reported as every model's <c>created</c>.</summary>
    public const long Created = 1_715_367_049;

    private static readonly byte[][] s_utf8 = BuildUtf8();

    /// <summary>Reads the current string token, reusing the cached instance for a known model (no allocation).</summary>
    public static string GetString(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            var span = reader.ValueSpan;
            for (var i = 0; i < s_utf8.Length; i++)
            {
                if (span.SequenceEqual(s_utf8[i]))
                {
                    return All[i].Id;
                }
            }
        }

        return reader.GetString() ?? string.Empty;
    }

    /// <summary>Default embedding size of a model: 3072 for <c>text-embedding-3-large</c>, else 1536.</summary>
    public static int DefaultDimensions(string model) =>
        string.Equals(model, "text-embedding-3-large", StringComparison.OrdinalIgnoreCase) ? 3072 : 1536;

    private static byte[][] BuildUtf8()
    {
        var result = new byte[All.Length][];
        for (var i = 0; i < All.Length; i++)
        {
            result[i] = Encoding.UTF8.GetBytes(All[i].Id);
        }

        return result;
    }
}
