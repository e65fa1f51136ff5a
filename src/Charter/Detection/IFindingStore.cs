// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Detection;

/// <summary>Where findings are kept.</summary>
public interface IFindingStore
{
    /// <summary>Stores findings.</summary>
    Task AddAsync(IReadOnlyList<FindingRecord> findings, CancellationToken cancellationToken);

    /// <summary>Lists findings, newest first.</summary>
    Task<IReadOnlyList<FindingRecord>> ListAsync(int limit, CancellationToken cancellationToken);
}
