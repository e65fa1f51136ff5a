// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Accounting;

/// <summary>A limit store that can report what a key or team has spent in the current budget periods.</summary>
/// <remarks>Used off the request path (the budget-hold sweep and admin budget changes), never to admit a request.</remarks>
public interface IBudgetSpendReader
{
    /// <summary>Spend recorded for a key or team in the current UTC day and month, in nano-dollars.</summary>
    /// <remarks>A shared store may throw when its backend cannot be reached; callers treat that as "unknown".</remarks>
    public ValueTask<(long Day, long Month)> GetSpendAsync(LimitScope scope, string id);
}
