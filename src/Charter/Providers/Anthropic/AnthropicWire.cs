// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Providers.Anthropic;

/// <summary>Anthropic Messages API constants.</summary>
public static class AnthropicWire
{
    /// <summary>The <c>anthropic-version</c> header value the translation is written against.</summary>
    public const string Version = "2023-06-01";

    /// <summary>The <c>max_tokens</c> sent when the client gives neither <c>max_completion_tokens</c> nor <c>max_tokens</c> (Anthropic requires one).</summary>
    public const int DefaultMaxTokens = 4096;
}
