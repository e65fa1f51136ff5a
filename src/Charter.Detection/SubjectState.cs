// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Numerics;
using System.Runtime.InteropServices;

namespace Charter.Detection;

/// <summary>
/// Incremental, bounded state of one key or team: exponentially decayed counters (1 h / 24 h / 7 d), a 24-bin
/// activity profile, inter-arrival statistics, a bounded prompt memory, SimHash cluster centroids, and the
/// template → purposes map. Memory is bounded by <see cref="DetectionOptions.PromptMemory"/> and fixed arrays.
/// </summary>
internal sealed class SubjectState
{
    private const int MaxClusters = 32;
    private const int MaxTemplates = 512;
    private const int MaxPurposes = 8;
    private const int MaxModels = 16;

    private readonly DetectionOptions _options;
    private readonly double _tauMain;
    private readonly double _tauShort;
    private readonly double _tauBase;
    private readonly double[] _main = new double[Counter.Count];
    private readonly double[] _hours = new double[24];
    private readonly ulong[] _centroids = new ulong[MaxClusters];
    private readonly double[] _clusterCounts = new double[MaxClusters];
    private readonly Dictionary<ulong, PromptEntry> _prompts;
    private readonly ulong[] _promptRing;
    private readonly Dictionary<ulong, byte> _templatePurposes = new();
    private readonly string[] _purposes = new string[MaxPurposes];
    private readonly string[] _models = new string[MaxModels];
    private readonly Queue<(ulong Hash, long Seq)> _evalPending = new();
    private readonly (long Ts, string? Id)[] _samples;
    private int _sampleCount;
    private int _sampleNext;
    private int _promptRingNext;
    private int _clusterCount;
    private int _purposeCount;
    private int _modelCount;
    private long _evalSeq;
    private double _short;
    private double _shortOut;
    private double _baseOut;
    private double _gapMean;
    private double _gapVar;
    private int _gaps;
    private long _lastTs = long.MinValue;

    public SubjectState(DetectionSubjectKind kind, string id, string team, DetectionOptions options)
    {
        Kind = kind;
        Id = id;
        Team = team;
        _options = options;
        _tauMain = options.MainWindow.TotalMilliseconds;
        _tauShort = options.ShortWindow.TotalMilliseconds;
        _tauBase = options.BaselineWindow.TotalMilliseconds;
        _prompts = new Dictionary<ulong, PromptEntry>(Math.Min(options.PromptMemory, 256));
        _promptRing = new ulong[options.PromptMemory];
        _samples = new (long, string?)[Math.Max(1, options.SampleRequestIds)];
    }

    public DetectionSubjectKind Kind { get; }

    public string Id { get; }

    public string Team { get; }

    public long Requests { get; private set; }

    public long FirstTs { get; private set; } = long.MinValue;

    public long LastTs => _lastTs;

    public double Risk { get; private set; }

    public double PeakRisk { get; private set; }

    public double[] Signals { get; } = new double[DetectionSignals.Count];

    public double[] PeakSignals { get; } = new double[DetectionSignals.Count];

    public long? FlaggedAt { get; set; }

    public long? RequestsUntilFlagged { get; set; }

    public DetectionAction Action { get; set; }

    /// <summary>Decayed output tokens in the main window (for the population baseline).</summary>
    public double MainOutputTokens => _main[Counter.OutputTokens];

    /// <summary>Used by the team: distinct keys, bit per key index.</summary>
    public Dictionary<ulong, ulong>? TemplateKeys { get; set; }

    public Dictionary<string, int>? KeyIndex { get; set; }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Observe(DetectionRecord r, ref RecordTraits t)
    {
        Decay(r.TimestampMs);
        Requests++;
        if (FirstTs == long.MinValue)
        {
            FirstTs = r.TimestampMs;
        }

        var c = _main;
        c[Counter.Requests] += 1;
        _short += 1;
        int outTokens = Math.Max(0, r.CompletionTokens);
        c[Counter.OutputTokens] += outTokens;
        _shortOut += outTokens;
        _baseOut += outTokens;
        int hour = (int)(((r.TimestampMs / 3_600_000L) % 24 + 24) % 24);
        _hours[hour] += 1;
        c[Counter.Attributed] += t.Attribution;

        // Prompt memory: repetition, models, temperatures and seeds per distinct prompt.
        int modelBit = ModelBit(r.Model);
        ulong ph = t.Prompt.ExactHash;
        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_prompts, ph, out bool existed);
        bool seenSameModel = existed && (entry.ModelMask & (1 << modelBit)) != 0;
        bool swept = false;
        if (!existed)
        {
            entry.Initialised = true;
            entry.Temperature = r.Temperature;
            entry.Seed = r.Seed ?? 0;
            entry.HasSeed = r.Seed.HasValue;
            Remember(ph);
        }
        else if (seenSameModel)
        {
            bool tempDiffers = !float.IsNaN(r.Temperature) && !float.IsNaN(entry.Temperature) && Math.Abs(r.Temperature - entry.Temperature) > 0.05f;
            bool seedDiffers = r.Seed.HasValue && entry.HasSeed && r.Seed.Value != entry.Seed;
            swept = (tempDiffers || seedDiffers) && r.Temperature != 0;
        }

        entry.ModelMask |= (ushort)(1 << modelBit);

        bool evaluation = string.Equals(r.Purpose, "evaluation", StringComparison.OrdinalIgnoreCase);
        bool pendingEval = evaluation && t.Generative && string.IsNullOrEmpty(r.EvalRunId);
        if (t.Generative)
        {
            c[Counter.Generative] += 1;

            // A new evaluation question is expected to come back on other models: its novelty is judged when it
            // is resolved (below), not now.
            if (!existed && !pendingEval)
            {
                c[Counter.GenerativeNew] += 1;
            }

            if (Cluster(t.Prompt.SimHash))
            {
                c[Counter.GenerativeClustered] += 1;
            }
        }

        if (t.LargeMax)
        {
            c[Counter.LargeMax] += 1;
        }

        bool longish = outTokens >= _options.GenerativeMinCompletionTokens / 2;
        if (t.Prompt.Reasoning && longish)
        {
            c[Counter.Reasoning] += 1;
        }

        if (t.Prompt.Dataset && longish)
        {
            c[Counter.Dataset] += 1;
        }

        bool probing = ((r.Logprobs || r.TopLogprobs > 0) && outTokens >= 100)
            || r.LogitBiasCount >= _options.LargeLogitBias
            || (r.MaxTokens is > 0 and <= 1 && seenSameModel);
        if (probing)
        {
            c[Counter.Logit] += 1;
        }

        if ((r.N > 1 && outTokens >= 200) || swept)
        {
            c[Counter.Sweep] += 1;
        }

        if (t.SharedTemplate && !existed)
        {
            c[Counter.Shared] += 1;
        }

        // Purposes per template: one template declared under several purposes.
        if (t.Prompt.TemplateHash != 0)
        {
            byte pbit = (byte)(1 << PurposeBit(r.Purpose));
            ref byte mask = ref CollectionsMarshal.GetValueRefOrNullRef(_templatePurposes, t.Prompt.TemplateHash);
            if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref mask))
            {
                if (_templatePurposes.Count < MaxTemplates)
                {
                    _templatePurposes[t.Prompt.TemplateHash] = pbit;
                }
            }
            else
            {
                mask |= pbit;
                if (BitOperations.PopCount(mask) >= 2)
                {
                    c[Counter.MixedPurpose] += 1;
                }
            }
        }

        // Evaluation: generative evaluation prompts must come back on another model (a question set compared
        // across models) unless the request names an evaluation run.
        if (evaluation)
        {
            _evalSeq++;
            if (pendingEval)
            {
                c[Counter.EvalGenerative] += 1;
                if (!existed)
                {
                    _evalPending.Enqueue((ph, _evalSeq));
                }
            }

            while (_evalPending.Count > 0 && _evalPending.Peek().Seq + _options.EvalRepeatHorizon <= _evalSeq)
            {
                var (hash, _) = _evalPending.Dequeue();
                c[Counter.EvalResolved] += 1;
                if (!_prompts.TryGetValue(hash, out var e) || BitOperations.PopCount((uint)e.ModelMask) < 2)
                {
                    c[Counter.EvalUnrepeated] += 1;
                    c[Counter.GenerativeNew] += 1;
                }
            }
        }

        // Timing: inter-arrival statistics (gaps capped at 1 h so idle nights do not dominate).
        if (_lastTs != long.MinValue)
        {
            double gap = Math.Min(Math.Max(0, r.TimestampMs - _lastTs), 3_600_000) / 1000.0;
            const double alpha = 0.05;
            if (_gaps == 0)
            {
                _gapMean = gap;
            }
            else
            {
                double d = gap - _gapMean;
                _gapMean += alpha * d;
                _gapVar = (1 - alpha) * (_gapVar + (alpha * d * d));
            }

            _gaps++;
        }

        _lastTs = Math.Max(_lastTs, r.TimestampMs);
        if (t.Suspicious)
        {
            _samples[_sampleNext] = (r.TimestampMs, r.RequestId);
            _sampleNext = (_sampleNext + 1) % _samples.Length;
            _sampleCount = Math.Min(_sampleCount + 1, _samples.Length);
        }
    }

    /// <summary>Recomputes the signals and the risk; population output tokens per active key in the main window.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public double Score(double populationOutputPerKey)
    {
        var c = _main;
        var s = Signals;
        double n = c[Counter.Requests];
        if (Requests < _options.MinEvidence || n < 1)
        {
            Array.Clear(s);
            Risk = 0;
            return 0;
        }

        double gen = c[Counter.Generative] / n;

        // 1. Volume: last hour against the key's own 7-day hourly baseline (once it has one), and the main
        // window's output tokens against the population's per-key average.
        double volume = 0;
        if (_lastTs - FirstTs >= 24 * 3_600_000L)
        {
            double baseHourly = _baseOut / (_tauBase / 3_600_000.0);
            volume = Clamp((Math.Log2((_shortOut + 1) / (baseHourly + 1)) - 1) / 3);
        }

        if (populationOutputPerKey > 0)
        {
            volume = Math.Max(volume, Clamp((Math.Log2((c[Counter.OutputTokens] + 1) / (populationOutputPerKey + 1)) - 1) / 3));
        }

        s[(int)DetectionSignal.Volume] = volume;

        // 2. Output ratio and large max_tokens.
        s[(int)DetectionSignal.OutputRatio] = (0.7 * gen) + (0.3 * (c[Counter.LargeMax] / n));

        // 3. Template concentration: generative prompts falling in near-duplicate clusters, low cluster entropy.
        double clustered = c[Counter.Generative] > 0 ? c[Counter.GenerativeClustered] / c[Counter.Generative] : 0;
        s[(int)DetectionSignal.TemplateConcentration] = gen * clustered * (1 - (0.5 * ClusterEntropy()));

        // 4. Coverage sweep: generative prompts that keep being new.
        // Every prompt is new at first, so the signal ramps up with the requests seen (full at CoverageWarmup).
        s[(int)DetectionSignal.CoverageSweep] = Clamp(c[Counter.GenerativeNew] / n / 0.7) * Math.Min(1, Requests / (double)_options.CoverageWarmup);

        // 5-8. Direct indicators.
        s[(int)DetectionSignal.ReasoningElicitation] = Clamp(c[Counter.Reasoning] / n / 0.5);
        s[(int)DetectionSignal.DatasetInstructions] = Clamp(c[Counter.Dataset] / n / 0.3);
        s[(int)DetectionSignal.LogitProbing] = Clamp(c[Counter.Logit] / n / 0.3);
        s[(int)DetectionSignal.SamplingSweep] = Clamp(c[Counter.Sweep] / n / 0.2);

        // 9. Timing: regular inter-arrivals and a flat 24-hour profile.
        double regular = 0;
        if (_gaps >= 20 && _gapMean > 0)
        {
            double cv = Math.Sqrt(Math.Max(0, _gapVar)) / _gapMean;
            regular = Clamp((0.5 - cv) / 0.4);
        }

        double flat = 0;
        if (_lastTs - FirstTs >= 20 * 3_600_000L)
        {
            flat = Clamp((HourEntropy() - 0.88) / 0.08);
        }

        s[(int)DetectionSignal.Timing] = gen * ((0.5 * regular) + (0.5 * flat));

        // 10. Fan-out: generative requests whose template other keys of the team also send.
        s[(int)DetectionSignal.FanOut] = Clamp(c[Counter.Shared] / n / 0.5);

        // 11. Purpose mismatch: templates declared under several purposes; evaluation that is not evaluation.
        double mixed = Clamp(c[Counter.MixedPurpose] / n / 0.3);
        double evalBad = 0;
        if (c[Counter.EvalResolved] >= 10)
        {
            evalBad = Clamp(c[Counter.EvalGenerative] / n / 0.5) * (c[Counter.EvalUnrepeated] / c[Counter.EvalResolved]);
        }

        s[(int)DetectionSignal.PurposeMismatch] = Math.Max(mixed, evalBad);

        // Attributed traffic (system prompt, end-user ids) is an application on behalf of users: the generic,
        // volume-like signals are damped; the direct indicators are not.
        double damp = 1 - (_options.AttributionDamping * Clamp(c[Counter.Attributed] / n));
        s[(int)DetectionSignal.Volume] *= damp;
        s[(int)DetectionSignal.OutputRatio] *= damp;
        s[(int)DetectionSignal.TemplateConcentration] *= damp;
        s[(int)DetectionSignal.CoverageSweep] *= damp;
        s[(int)DetectionSignal.ReasoningElicitation] *= damp;
        s[(int)DetectionSignal.Timing] *= damp;
        s[(int)DetectionSignal.FanOut] *= damp;

        var w = _options.Weights;
        double risk = 0;
        for (int i = 0; i < s.Length; i++)
        {
            risk += w[i] * s[i];
        }

        Risk = Math.Min(1, risk);
        if (Risk > PeakRisk || (PeakRisk == 0 && Risk == 0))
        {
            PeakRisk = Risk;
            Array.Copy(s, PeakSignals, s.Length);
        }

        return Risk;
    }

    public IReadOnlyList<string> SampleIds()
    {
        var list = new List<string>(_sampleCount);
        for (int i = 0; i < _sampleCount; i++)
        {
            var (ts, id) = _samples[(_sampleNext - _sampleCount + i + _samples.Length) % _samples.Length];
            list.Add(id ?? $"{Id}@{DateTimeOffset.FromUnixTimeMilliseconds(ts):yyyy-MM-ddTHH:mm:ss.fffZ}");
        }

        return list;
    }

    private void Decay(long ts)
    {
        if (_lastTs == long.MinValue || ts <= _lastTs)
        {
            return;
        }

        double dt = ts - _lastTs;
        double fMain = Math.Exp(-dt / _tauMain);
        var c = _main;
        for (int i = 0; i < c.Length; i++)
        {
            c[i] *= fMain;
        }

        double fShort = Math.Exp(-dt / _tauShort);
        _short *= fShort;
        _shortOut *= fShort;
        double fBase = Math.Exp(-dt / _tauBase);
        _baseOut *= fBase;
        for (int i = 0; i < _hours.Length; i++)
        {
            _hours[i] *= fBase;
        }

        for (int i = 0; i < _clusterCount; i++)
        {
            _clusterCounts[i] *= fMain;
        }
    }

    private bool Cluster(ulong sim)
    {
        int best = -1;
        int bestDistance = int.MaxValue;
        for (int i = 0; i < _clusterCount; i++)
        {
            int d = PromptAnalyzer.Distance(_centroids[i], sim);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = i;
            }
        }

        if (best >= 0 && bestDistance <= _options.NearDuplicateDistance)
        {
            bool clustered = _clusterCounts[best] >= 2;
            _clusterCounts[best] += 1;
            return clustered;
        }

        int slot = _clusterCount;
        if (_clusterCount < MaxClusters)
        {
            _clusterCount++;
        }
        else
        {
            slot = 0;
            for (int i = 1; i < MaxClusters; i++)
            {
                if (_clusterCounts[i] < _clusterCounts[slot])
                {
                    slot = i;
                }
            }
        }

        _centroids[slot] = sim;
        _clusterCounts[slot] = 1;
        return false;
    }

    private double ClusterEntropy()
    {
        double total = 0;
        for (int i = 0; i < _clusterCount; i++)
        {
            total += _clusterCounts[i];
        }

        if (total <= 0 || _clusterCount < 2)
        {
            return 0;
        }

        double h = 0;
        for (int i = 0; i < _clusterCount; i++)
        {
            double p = _clusterCounts[i] / total;
            if (p > 0)
            {
                h -= p * Math.Log(p);
            }
        }

        return h / Math.Log(MaxClusters);
    }

    private double HourEntropy()
    {
        double total = 0;
        foreach (double v in _hours)
        {
            total += v;
        }

        if (total <= 0)
        {
            return 0;
        }

        double h = 0;
        foreach (double v in _hours)
        {
            if (v > 0)
            {
                double p = v / total;
                h -= p * Math.Log(p);
            }
        }

        return h / Math.Log(24);
    }

    private void Remember(ulong hash)
    {
        ulong old = _promptRing[_promptRingNext];
        if (old != 0 && old != hash)
        {
            _prompts.Remove(old);
        }

        _promptRing[_promptRingNext] = hash;
        _promptRingNext = (_promptRingNext + 1) % _promptRing.Length;
    }

    private int PurposeBit(string purpose)
    {
        for (int i = 0; i < _purposeCount; i++)
        {
            if (string.Equals(_purposes[i], purpose, StringComparison.Ordinal))
            {
                return i;
            }
        }

        if (_purposeCount < MaxPurposes)
        {
            _purposes[_purposeCount] = purpose;
            return _purposeCount++;
        }

        return MaxPurposes - 1;
    }

    private int ModelBit(string model)
    {
        for (int i = 0; i < _modelCount; i++)
        {
            if (string.Equals(_models[i], model, StringComparison.Ordinal))
            {
                return i;
            }
        }

        if (_modelCount < MaxModels)
        {
            _models[_modelCount] = model;
            return _modelCount++;
        }

        return MaxModels - 1;
    }

    private static double Clamp(double v) => v < 0 ? 0 : v > 1 ? 1 : double.IsNaN(v) ? 0 : v;
}
