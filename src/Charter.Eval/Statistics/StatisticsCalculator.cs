// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Eval.Running;

namespace Charter.Eval.Statistics;

/// <summary>Computes a run's statistics from its results.</summary>
/// <remarks>With <c>--repeat R</c>, each case's pass rate is averaged over its R samples and the case is the unit
/// of the Wilson interval (repeats of one question are not independent evidence); for the paired test a case
/// counts as passed when it passed in at least half of its samples. Errors count as failures.</remarks>
public static class StatisticsCalculator
{
    public static RunStatistics Compute(IReadOnlyList<string> models, IReadOnlyList<CaseResult> results)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(results);
        var byModel = new Dictionary<string, List<CaseResult>>(StringComparer.Ordinal);
        var order = new List<string>(models);
        foreach (var m in models)
        {
            byModel[m] = [];
        }

        foreach (var r in results)
        {
            if (!byModel.TryGetValue(r.Model, out var list))
            {
                byModel[r.Model] = list = [];
                order.Add(r.Model);
            }

            list.Add(r);
        }

        var stats = new List<ModelStatistics>();
        var caseRates = new Dictionary<string, Dictionary<int, double>>(StringComparer.Ordinal);
        foreach (var model in order)
        {
            var (s, rates) = ForModel(model, byModel[model]);
            stats.Add(s);
            caseRates[model] = rates;
        }

        var pairs = new List<PairwiseComparison>();
        for (var i = 0; i < order.Count; i++)
        {
            for (var j = i + 1; j < order.Count; j++)
            {
                pairs.Add(Compare(order[i], order[j], caseRates[order[i]], caseRates[order[j]]));
            }
        }

        stats.Sort(static (a, b) =>
        {
            var c = b.Accuracy.CompareTo(a.Accuracy);
            return c != 0 ? c : (a.TotalCost ?? 0).CompareTo(b.TotalCost ?? 0);
        });
        return new RunStatistics(stats, pairs);
    }

    private static (ModelStatistics Stats, Dictionary<int, double> CaseRates) ForModel(string model, List<CaseResult> results)
    {
        var perCase = new Dictionary<int, (int Passed, int Samples)>();
        var perRepeat = new SortedDictionary<int, (int Passed, int Samples)>();
        var latencies = new List<double>(results.Count);
        int passed = 0, errors = 0, cached = 0;
        long promptTokens = 0, completionTokens = 0;
        double cost = 0, scoreSum = 0;
        var anyCost = false;
        foreach (var r in results)
        {
            var p = r.Passed ? 1 : 0;
            passed += p;
            errors += r.Error is null ? 0 : 1;
            cached += r.Cached ? 1 : 0;
            scoreSum += r.Score;
            promptTokens += r.PromptTokens;
            completionTokens += r.CompletionTokens;
            if (r.Cost is { } c)
            {
                cost += c;
                anyCost = true;
            }

            if (r.Error is null && r.LatencyMs > 0)
            {
                latencies.Add(r.LatencyMs);
            }

            perCase[r.CaseIndex] = perCase.TryGetValue(r.CaseIndex, out var pc) ? (pc.Passed + p, pc.Samples + 1) : (p, 1);
            perRepeat[r.RepeatIndex] = perRepeat.TryGetValue(r.RepeatIndex, out var pr) ? (pr.Passed + p, pr.Samples + 1) : (p, 1);
        }

        var rates = new Dictionary<int, double>(perCase.Count);
        var successes = 0.0;
        foreach (var (index, (p, n)) in perCase)
        {
            var rate = (double)p / n;
            rates[index] = rate;
            successes += rate;
        }

        latencies.Sort();
        var repeatAcc = new List<double>(perRepeat.Count);
        foreach (var (_, (p, n)) in perRepeat)
        {
            repeatAcc.Add(n == 0 ? 0 : (double)p / n);
        }

        var accuracy = perCase.Count == 0 ? 0 : successes / perCase.Count;
        var stats = new ModelStatistics
        {
            Model = model,
            Cases = perCase.Count,
            Samples = results.Count,
            Passed = passed,
            Errors = errors,
            Cached = cached,
            Accuracy = accuracy,
            Interval = WilsonInterval.Compute(successes, perCase.Count),
            MeanScore = results.Count == 0 ? 0 : scoreSum / results.Count,
            LatencyP50 = Percentile.OfSorted(latencies, 50),
            LatencyP95 = Percentile.OfSorted(latencies, 95),
            LatencyMean = latencies.Count == 0 ? double.NaN : latencies.Average(),
            Latencies = latencies,
            PromptTokens = promptTokens,
            CompletionTokens = completionTokens,
            TotalCost = anyCost ? cost : null,
            RepeatAccuracies = repeatAcc,
            RepeatStdDev = StdDev(repeatAcc),
        };
        return (stats, rates);
    }

    private static PairwiseComparison Compare(string a, string b, Dictionary<int, double> ratesA, Dictionary<int, double> ratesB)
    {
        int n = 0, onlyA = 0, onlyB = 0, passA = 0, passB = 0;
        foreach (var (index, rateA) in ratesA)
        {
            if (!ratesB.TryGetValue(index, out var rateB))
            {
                continue;
            }

            n++;
            var pa = rateA >= 0.5;
            var pb = rateB >= 0.5;
            passA += pa ? 1 : 0;
            passB += pb ? 1 : 0;
            if (pa && !pb)
            {
                onlyA++;
            }
            else if (pb && !pa)
            {
                onlyB++;
            }
        }

        return new PairwiseComparison
        {
            ModelA = a,
            ModelB = b,
            Cases = n,
            OnlyA = onlyA,
            OnlyB = onlyB,
            AccuracyA = n == 0 ? 0 : (double)passA / n,
            AccuracyB = n == 0 ? 0 : (double)passB / n,
            ExactPValue = McNemarTest.ExactPValue(onlyA, onlyB),
            ChiSquarePValue = McNemarTest.ChiSquarePValue(onlyA, onlyB),
        };
    }

    /// <summary>Sample standard deviation (n − 1); 0 for fewer than two values.</summary>
    public static double StdDev(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count < 2)
        {
            return 0;
        }

        var mean = 0.0;
        foreach (var v in values)
        {
            mean += v;
        }

        mean /= values.Count;
        var ss = 0.0;
        foreach (var v in values)
        {
            ss += (v - mean) * (v - mean);
        }

        return Math.Sqrt(ss / (values.Count - 1));
    }
}
