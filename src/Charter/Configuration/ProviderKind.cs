// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Configuration;

/// <summary>Provider wire protocols Charter speaks.</summary>
public enum ProviderKind
{
    /// <summary>api.openai.com or an OpenAI account.</summary>
    OpenAI,

    /// <summary>Azure OpenAI (classic deployments route or the /openai/v1 route).</summary>
    AzureOpenAI,

    /// <summary>Any OpenAI-compatible server (vLLM, Ollama, llama.cpp).</summary>
    OpenAICompatible,

    /// <summary>The built-in simulated provider, in process.</summary>
    Sim,

    /// <summary>Anthropic's Messages API: OpenAI chat requests and answers are translated both ways.</summary>
    Anthropic,
}
