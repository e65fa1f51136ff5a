// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Configuration;

/// <summary>One upstream provider account (an entry of <c>Providers:Accounts</c>).</summary>
public sealed class ProviderAccountOptions
{
    /// <summary>Stable account id used by routes, policy and the audit log.</summary>
    public string Id { get; set; } = "";

    /// <summary>Wire kind: <c>openai</c>, <c>azure-openai</c>, <c>anthropic</c>, <c>openai-compatible</c> or <c>sim</c>.</summary>
    public string Kind { get; set; } = "openai-compatible";

    /// <summary>Base URL. OpenAI: <c>https://api.openai.com/v1</c>; Azure: the resource URL <c>https://NAME.openai.azure.com</c>;
    /// Anthropic: <c>https://api.anthropic.com/v1</c>.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>The account's API key. Prefer <see cref="ApiKeyEnv"/> so the secret stays out of files.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Name of an environment variable holding the API key.</summary>
    public string? ApiKeyEnv { get; set; }

    /// <summary>Azure only: <c>api-version</c> query value for the deployments route. Default 2024-10-21.</summary>
    public string ApiVersion { get; set; } = "2024-10-21";

    /// <summary>Azure only: <c>deployments</c> (classic) or <c>v1</c>. Default deployments.</summary>
    public string AzureRoute { get; set; } = "deployments";

    /// <summary>Azure only: public model name to deployment name; unmapped models use the model name.</summary>
    public Dictionary<string, string> Deployments { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Anthropic (and a simulator account's Messages API): the <c>anthropic-version</c> header sent with every request. Default 2023-06-01.</summary>
    public string AnthropicVersion { get; set; } = "2023-06-01";

    /// <summary>Anthropic only: <c>max_tokens</c> when the client gives neither <c>max_completion_tokens</c> nor
    /// <c>max_tokens</c> (Anthropic requires it). Default 4096.</summary>
    public int DefaultMaxTokens { get; set; } = 4096;

    /// <summary>Where the account's traffic is processed (ISO country code), for policy.</summary>
    public string? Region { get; set; }
}
