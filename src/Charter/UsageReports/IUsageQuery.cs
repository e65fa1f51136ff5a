// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.UsageReports;

/// <summary>Usage and spend from the request records, grouped.</summary>
public interface IUsageQuery
{
    /// <summary>
    /// Sums requests, tokens and cost of forwarded requests with <paramref name="from"/> &lt;= ts &lt; <paramref name="to"/>
    /// (either bound optional), one row per distinct combination of <paramref name="groupBy"/> (one row in all when empty),
    /// ordered by the grouped values.
    /// </summary>
    public Task<IReadOnlyList<UsageRow>> QueryAsync(IReadOnlyList<UsageDimension> groupBy, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken = default);
}
