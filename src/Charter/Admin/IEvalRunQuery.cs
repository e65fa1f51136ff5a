// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Admin;

/// <summary>Evaluation runs seen by the gateway: request records grouped by their <c>eval_run</c> (the <c>Charter-Eval-Run</c> header).</summary>
public interface IEvalRunQuery
{
    /// <summary>
    /// One row per (run id, key, team) among the request records that carry a run id, newest first.
    /// <paramref name="key"/> and <paramref name="team"/> filter when given (null = any).
    /// </summary>
    Task<IReadOnlyList<EvalRunSummary>> ListRunsAsync(string? key, string? team, int limit, CancellationToken cancellationToken);
}
