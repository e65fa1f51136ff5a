// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Keys;
using Microsoft.AspNetCore.Http;

namespace Charter.Forwarding;

/// <summary>No limits configured: every request is admitted.</summary>
public sealed class UnlimitedLimiter : IRequestLimiter
{
    /// <inheritdoc/>
    public ValueTask<LimitAdmission> AdmitAsync(ApiKeyRecord key, ParsedRequest request, ReadOnlyMemory<byte> body, IHeaderDictionary responseHeaders, CancellationToken cancellationToken) =>
        ValueTask.FromResult(default(LimitAdmission));

    /// <inheritdoc/>
    public ValueTask CompleteAsync(LimitAdmission admission, int promptTokens, int completionTokens, long costNanos) => ValueTask.CompletedTask;
}
