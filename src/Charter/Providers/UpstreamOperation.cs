// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Providers;

/// <summary>The OpenAI-wire operations an account's per-model URL serves (<see cref="UpstreamAccount.EndpointUri"/>).</summary>
public enum UpstreamOperation
{
    /// <summary><c>/chat/completions</c> (Anthropic: <c>/messages</c>).</summary>
    Chat,

    /// <summary><c>/embeddings</c>.</summary>
    Embeddings,

    /// <summary><c>/completions</c>, the legacy text completions.</summary>
    Completions,

    /// <summary><c>/moderations</c> (OpenAI and OpenAI-compatible servers; Azure OpenAI and Anthropic have none).</summary>
    Moderations,
}
