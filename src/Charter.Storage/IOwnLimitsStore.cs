// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Accounting;

namespace Charter.Storage;

/// <summary>The rows of <c>limit_overrides</c> as stored (null fields kept), for the CLI and the database limit stores.</summary>
/// <remarks>Every write bumps the change version in the same transaction, so every gateway instance on the database reloads
/// the own limits within a poll period (<see cref="SubjectLimitsSyncService"/>).</remarks>
public interface IOwnLimitsStore
{
    /// <summary>The row of one key or team, or null when it has no own limits.</summary>
    public Task<OwnLimits?> GetAsync(LimitScope scope, string id, CancellationToken cancellationToken = default);

    /// <summary>Every row.</summary>
    public Task<IReadOnlyList<OwnLimits>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Writes the row of <see cref="OwnLimits.Scope"/>/<see cref="OwnLimits.Id"/> as given (replacing it), with
    /// <c>updated_at</c> now.</summary>
    public Task PutAsync(OwnLimits limits, CancellationToken cancellationToken = default);

    /// <summary>Removes the row (back to the defaults); false when there was none.</summary>
    public Task<bool> DeleteAsync(LimitScope scope, string id, CancellationToken cancellationToken = default);
}
