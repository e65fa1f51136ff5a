// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Detection;

/// <summary>Findings kept in memory (used where no database store is registered, e.g. PostgreSQL for now).</summary>
public sealed class InMemoryFindingStore : IFindingStore
{
    private readonly List<FindingRecord> _items = [];
    private readonly Lock _lock = new();

    /// <inheritdoc/>
    public Task AddAsync(IReadOnlyList<FindingRecord> findings, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _items.AddRange(findings);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<FindingRecord>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<FindingRecord>>([.. _items.OrderByDescending(f => f.CrossedAt).Take(limit)]);
        }
    }
}
