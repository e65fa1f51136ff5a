// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Sim;

/// <summary>The API operations the simulator serves.</summary>
internal enum SimEndpoint
{
    ChatCompletions,
    Embeddings,
    Models,
    Model,

    /// <summary>Anthropic's Messages API (<c>POST /v1/messages</c>).</summary>
    Messages,

    /// <summary>OpenAI's Responses API (<c>POST /v1/responses</c>, Azure <c>POST /openai/v1/responses</c>).</summary>
    Responses,
}
