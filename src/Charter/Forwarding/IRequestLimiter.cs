// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Keys;
using Microsoft.AspNetCore.Http;

namespace Charter.Forwarding;

/// <summary>Rate limits, concurrency and budgets on the request path.</summary>
public interface IRequestLimiter
{
    /// <summary>Admits or refuses a request (429 with headers); writes <c>x-ratelimit-*</c> headers when admitted.</summary>
    GateDecision TryAdmit(ApiKeyRecord key, string purpose, string model, in ParsedRequest request, IHeaderDictionary responseHeaders);

    /// <summary>Releases concurrency and reconciles tokens and spend with the real usage.</summary>
    void Complete(ApiKeyRecord key, int promptTokens, int completionTokens, long costMicros);
}
