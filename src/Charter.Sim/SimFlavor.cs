// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Sim;

/// <summary>Which URL form a request used.</summary>
internal enum SimFlavor
{
    /// <summary><c>/v1/…</c></summary>
    OpenAI,

    /// <summary><c>/openai/deployments/{deployment}/…?api-version=…</c></summary>
    AzureClassic,

    /// <summary><c>/openai/v1/…</c></summary>
    AzureV1,

    /// <summary>Anthropic's <c>/v1/messages</c>.</summary>
    Anthropic,
}
