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

    /// <summary>A stored response: <c>GET /v1/responses/{id}</c>.</summary>
    ResponseGet,

    /// <summary><c>DELETE /v1/responses/{id}</c>.</summary>
    ResponseDelete,

    /// <summary>The input items of a stored response: <c>GET /v1/responses/{id}/input_items</c>.</summary>
    ResponseInputItems,

    /// <summary><c>POST /v1/responses/{id}/cancel</c> (only background responses can be; the simulator has none).</summary>
    ResponseCancel,

    /// <summary>OpenAI's legacy Completions API (<c>POST /v1/completions</c>).</summary>
    Completions,

    /// <summary>OpenAI's Moderations API (<c>POST /v1/moderations</c>; Azure OpenAI has none).</summary>
    Moderations,

    /// <summary>Anthropic's token counting (<c>POST /v1/messages/count_tokens</c>).</summary>
    MessagesCountTokens,
}
