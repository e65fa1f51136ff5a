// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Sim;

/// <summary>Transport-independent facts about one request (everything but the body).</summary>
/// <param name="Endpoint">The operation.</param>
/// <param name="Flavor">The URL form.</param>
/// <param name="Deployment">Azure classic deployment name, the model id of <c>GET /v1/models/{model}</c>, or the response id of
/// <c>/v1/responses/{id}[/input_items|/cancel]</c>.</param>
/// <param name="ApiVersion">The <c>api-version</c> query value (Anthropic: the <c>anthropic-version</c> header), if any.</param>
/// <param name="HasCredential">Azure: an <c>api-key</c> header or a bearer token was sent; Anthropic: an <c>x-api-key</c> header.</param>
/// <param name="CharterRequestId">The <c>X-Charter-Request-Id</c> header, if any.</param>
/// <param name="Query">The query string (with or without its <c>?</c>), read by <c>GET /v1/responses/{id}/input_items</c>.</param>
internal readonly record struct SimRequest(
    SimEndpoint Endpoint,
    SimFlavor Flavor,
    string? Deployment,
    string? ApiVersion,
    bool HasCredential,
    string? CharterRequestId,
    string? Query = null);
