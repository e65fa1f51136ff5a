// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy;

/// <summary>The kinds of upstream provider a policy can name.</summary>
public enum ProviderKind : byte
{
    /// <summary>OpenAI (`openai`).</summary>
    OpenAI = 0,

    /// <summary>Azure OpenAI (`azure-openai`).</summary>
    AzureOpenAI = 1,

    /// <summary>Anthropic (`anthropic`).</summary>
    Anthropic = 2,

    /// <summary>Any OpenAI-compatible server (`openai-compatible`).</summary>
    OpenAICompatible = 3,

    /// <summary>The built-in simulated provider (`sim`).</summary>
    Sim = 4,
}
