// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Accounting;

/// <summary>Where the limits an admin gave one key or team are kept so that every instance applies them (the gateway database:
/// <c>SqliteLimitOverrideStore</c> / <c>PostgresLimitOverrideStore</c>; without one, <see cref="SubjectLimits"/> keeps them in
/// this process only).</summary>
/// <remarks>Read off the request path only: <see cref="SubjectLimits"/> caches everything in memory.</remarks>
public interface ILimitOverrideStore
{
    /// <summary>Saves (or, with null, removes) the limits of one key or team; false when the backend cannot be reached.</summary>
    public ValueTask<bool> SaveAsync(LimitScope scope, string id, LimitSet? limits, CancellationToken cancellationToken = default);

    /// <summary>The saved limits of one key or team, or null when it has none.</summary>
    /// <remarks>May throw when the backend cannot be reached.</remarks>
    public ValueTask<LimitSet?> LoadAsync(LimitScope scope, string id, CancellationToken cancellationToken = default);

    /// <summary>Every saved key and team limit.</summary>
    /// <remarks>May throw when the backend cannot be reached.</remarks>
    public ValueTask<IReadOnlyList<(LimitScope Scope, string Id, LimitSet Limits)>> LoadAllAsync(CancellationToken cancellationToken = default);
}
