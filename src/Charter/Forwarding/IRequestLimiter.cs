// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Keys;
using Microsoft.AspNetCore.Http;

namespace Charter.Forwarding;

/// <summary>Rate limits, concurrency and budgets on the request path.</summary>
public interface IRequestLimiter
{
    /// <summary>Admits or refuses a request (429 with headers); writes <c>x-ratelimit-*</c> headers when admitted.</summary>
    ValueTask<LimitAdmission> AdmitAsync(ApiKeyRecord key, ParsedRequest request, ReadOnlyMemory<byte> body, IHeaderDictionary responseHeaders, CancellationToken cancellationToken);

    /// <summary>Releases concurrency and reconciles tokens and spend with the real usage; called once per admission.</summary>
    ValueTask CompleteAsync(LimitAdmission admission, int promptTokens, int completionTokens, long costNanos);
}
