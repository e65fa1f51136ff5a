// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Detection;

/// <summary>Applies a finding's action (flag, review, suspend) to the key or team: implemented by the lifecycle wiring.</summary>
public interface IFindingActionHandler
{
    /// <summary>Applies the action; every action becomes an audit event there.</summary>
    Task ApplyAsync(FindingRecord finding, CancellationToken cancellationToken);
}
