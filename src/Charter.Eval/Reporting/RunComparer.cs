// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Eval.Running;
using Charter.Eval.Statistics;

namespace Charter.Eval.Reporting;

/// <summary>Compares two runs case by case: regressions (passed in A, failed in B) and improvements.</summary>
/// <remarks>Results are matched on (model, case id, repeat); each model's change is tested with McNemar's exact
/// test over the matched cases.</remarks>
public static class RunComparer
{
    public static RunComparisonExport Compare(EvalRunInfo runA, IReadOnlyList<CaseResult> a, EvalRunInfo runB, IReadOnlyList<CaseResult> b)
    {
        ArgumentNullException.ThrowIfNull(runA);
        ArgumentNullException.ThrowIfNull(runB);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var indexB = new Dictionary<(string, string, int), CaseResult>();
        foreach (var r in b)
        {
            indexB[(r.Model, r.CaseId, r.RepeatIndex)] = r;
        }

        var regressions = new List<CaseChange>();
        var improvements = new List<CaseChange>();
        var perModel = new Dictionary<string, (int N, int PassA, int PassB, int Reg, int Imp)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var ra in a)
        {
            if (!indexB.TryGetValue((ra.Model, ra.CaseId, ra.RepeatIndex), out var rb))
            {
                continue;
            }

            if (!perModel.TryGetValue(ra.Model, out var m))
            {
                order.Add(ra.Model);
            }

            m.N++;
            m.PassA += ra.Passed ? 1 : 0;
            m.PassB += rb.Passed ? 1 : 0;
            if (ra.Passed != rb.Passed)
            {
                var change = new CaseChange(ra.Model, ra.CaseId, ra.RepeatIndex, ra.Expected ?? rb.Expected, ra.Output ?? ra.Error, rb.Output ?? rb.Error, ra.Passed, rb.Passed);
                if (ra.Passed)
                {
                    m.Reg++;
                    regressions.Add(change);
                }
                else
                {
                    m.Imp++;
                    improvements.Add(change);
                }
            }

            perModel[ra.Model] = m;
        }

        var deltas = new List<ModelDelta>(order.Count);
        foreach (var model in order)
        {
            var m = perModel[model];
            deltas.Add(new ModelDelta(model, m.N, m.N == 0 ? 0 : (double)m.PassA / m.N, m.N == 0 ? 0 : (double)m.PassB / m.N, m.Reg, m.Imp, McNemarTest.ExactPValue(m.Reg, m.Imp)));
        }

        return new RunComparisonExport(runA.RunId, runB.RunId, runA.SuiteHash == runB.SuiteHash, deltas, regressions, improvements);
    }
}
