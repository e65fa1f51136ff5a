// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Keys;
using Microsoft.AspNetCore.Http;

namespace Charter.Forwarding;

/// <summary>No limits configured: every request is admitted.</summary>
public sealed class UnlimitedLimiter : IRequestLimiter
{
    /// <inheritdoc/>
    public GateDecision TryAdmit(ApiKeyRecord key, string purpose, string model, in ParsedRequest request, IHeaderDictionary responseHeaders) => GateDecision.Allow;

    /// <inheritdoc/>
    public void Complete(ApiKeyRecord key, int promptTokens, int completionTokens, long costMicros)
    {
    }
}
