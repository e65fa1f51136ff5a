// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Audit.Storage;

/// <summary>The right to integrate and sign the shared audit log, held by one process at a time.</summary>
public interface IAuditSequencerLease : IAsyncDisposable
{
    /// <summary>Whether the lease is still held (false once the session that holds it is gone).</summary>
    public Task<bool> IsHeldAsync(CancellationToken cancellationToken = default);
}
