// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Running;

/// <summary>What a run produced: its metadata and every result.</summary>
public sealed record EvalRunOutcome(EvalRunInfo Run, IReadOnlyList<CaseResult> Results)
{
    /// <summary>Results served from the response cache.</summary>
    public int CacheHits
    {
        get
        {
            var n = 0;
            foreach (var r in Results)
            {
                n += r.Cached ? 1 : 0;
            }

            return n;
        }
    }
}
