// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.FunctionalTests.Azure;

/// <summary>One request as the upstream received it from the gateway.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="PathAndQuery">Path and query string, e.g. <c>/openai/deployments/d/chat/completions?api-version=…</c>.</param>
/// <param name="ApiKey">The <c>api-key</c> header, if sent.</param>
/// <param name="Authorization">The <c>Authorization</c> header, if sent.</param>
/// <param name="Body">The request body as text.</param>
/// <param name="Headers">Every request header, by lower-case name.</param>
internal sealed record SeenRequest(string Method, string PathAndQuery, string? ApiKey, string? Authorization, string Body, IReadOnlyDictionary<string, string> Headers);
