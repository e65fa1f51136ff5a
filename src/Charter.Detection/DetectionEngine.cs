// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Numerics;

namespace Charter.Detection;

/// <summary>
/// Incremental harvesting / distillation detector. Feed request records in (roughly) timestamp order with
/// <see cref="Observe"/>; it updates per-key and per-team state (bounded memory) and raises a
/// <see cref="DetectionFinding"/> each time a subject's risk first reaches an action level of
/// <see cref="DetectionActionOptions"/>. Time comes only from the records, so the same code runs online
/// (a background worker) and offline (backtest). Not thread-safe: use one engine per consumer thread.
/// </summary>
public sealed class DetectionEngine
{
    private const int PopulationRefreshEvery = 1024;
    private readonly DetectionOptions _options;
    private readonly Dictionary<string, SubjectState> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SubjectState> _teams = new(StringComparer.Ordinal);
    private readonly List<DetectionFinding> _pending = new();
    private double _populationOutputPerKey;
    private long _observed;
    private long _lastTs = long.MinValue;

    public DetectionEngine(DetectionOptions? options = null)
    {
        _options = options ?? new DetectionOptions();
        var errors = _options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid detection options: " + string.Join(" ", errors), nameof(options));
        }
    }

    /// <summary>Raised synchronously from <see cref="Observe"/> for every new finding.</summary>
    public event Action<DetectionFinding>? FindingRaised;

    public DetectionOptions Options => _options;

    /// <summary>Records observed so far.</summary>
    public long Observed => _observed;

    /// <summary>Updates the state with one record. Returns true when the record raised at least one finding
    /// (read them with <see cref="TakeFindings"/> or the <see cref="FindingRaised"/> event). Calls on stored responses
    /// (<c>responses.retrieve</c>, <c>.input_items</c>, <c>.delete</c>, <c>.cancel</c>), moderations and token counts
    /// (<c>messages.count_tokens</c>) are not observed: they generate nothing.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public bool Observe(DetectionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Endpoint.StartsWith("responses.", StringComparison.Ordinal) || record.Endpoint is "moderations" or "messages.count_tokens")
        {
            // A stored response fetched, listed or deleted, or a text classified, generates nothing: counted, such calls (cheap,
            // without output) would only thin out a key's signals, and so could hide harvesting behind them. Online and offline alike.
            return false;
        }

        _observed++;
        _lastTs = Math.Max(_lastTs, record.TimestampMs);
        if (!_keys.TryGetValue(record.Key, out var key))
        {
            key = new SubjectState(DetectionSubjectKind.Key, record.Key, record.Team, _options);
            _keys.Add(record.Key, key);
        }

        if (!_teams.TryGetValue(record.Team, out var team))
        {
            team = new SubjectState(DetectionSubjectKind.Team, record.Team, record.Team, _options)
            {
                TemplateKeys = new Dictionary<ulong, ulong>(),
                KeyIndex = new Dictionary<string, int>(StringComparer.Ordinal),
            };
            _teams.Add(record.Team, team);
        }

        var traits = Traits(record);
        if (traits.Generative && traits.Prompt.TemplateHash != 0)
        {
            traits.SharedTemplate = ShareTemplate(team, record.Key, traits.Prompt.TemplateHash);
        }

        key.Observe(record, ref traits);
        team.Observe(record, ref traits);
        if (_observed % PopulationRefreshEvery == 1)
        {
            RefreshPopulation();
        }

        int before = _pending.Count;
        Evaluate(key, record.TimestampMs);
        Evaluate(team, record.TimestampMs);
        int raised = _pending.Count - before;
        if (raised > 0 && FindingRaised is { } handler)
        {
            for (int i = before; i < _pending.Count; i++)
            {
                handler(_pending[i]);
            }
        }

        return raised > 0;
    }

    /// <summary>Returns and clears the findings raised since the last call.</summary>
    public IReadOnlyList<DetectionFinding> TakeFindings()
    {
        var list = _pending.ToArray();
        _pending.Clear();
        return list;
    }

    /// <summary>Current risk, verdict and evidence of every key and team, riskiest first.</summary>
    public IReadOnlyList<SubjectRisk> Snapshot()
    {
        var list = new List<SubjectRisk>(_keys.Count + _teams.Count);
        foreach (var s in _keys.Values)
        {
            list.Add(ToRisk(s));
        }

        foreach (var s in _teams.Values)
        {
            list.Add(ToRisk(s));
        }

        list.Sort((a, b) => b.PeakRisk.CompareTo(a.PeakRisk) is var c && c != 0 ? c : string.CompareOrdinal(a.Id, b.Id));
        return list;
    }

    /// <summary>Snapshot entry of one key or team, or null when never seen.</summary>
    public SubjectRisk? Get(DetectionSubjectKind kind, string id)
    {
        var map = kind == DetectionSubjectKind.Key ? _keys : _teams;
        return map.TryGetValue(id, out var s) ? ToRisk(s) : null;
    }

    internal RecordTraits Traits(DetectionRecord r)
    {
        var t = new RecordTraits { Prompt = PromptAnalyzer.Analyze(r.PromptText) };
        int completion = Math.Max(0, r.CompletionTokens);
        int prompt = Math.Max(1, r.PromptTokens);
        t.Generative = completion >= _options.GenerativeMinCompletionTokens && completion >= _options.GenerativeMinRatio * prompt;
        long asked = (long)r.MaxTokens * Math.Max(1, r.N);
        t.LargeMax = asked >= _options.LargeMaxTokens;
        t.Attribution = (r.HasEndUser ? 0.6 : 0) + (r.HasSystemPrompt ? 0.4 : 0);
        t.Suspicious = t.Generative || t.Prompt.Reasoning || t.Prompt.Dataset || r.Logprobs || r.TopLogprobs > 0
            || r.LogitBiasCount >= _options.LargeLogitBias || r.N > 1;
        return t;
    }

    private static bool ShareTemplate(SubjectState team, string key, ulong template)
    {
        var index = team.KeyIndex!;
        if (!index.TryGetValue(key, out int bit))
        {
            bit = index.Count % 64;
            index.Add(key, bit);
        }

        var map = team.TemplateKeys!;
        ulong mask = map.TryGetValue(template, out ulong m) ? m : 0;
        mask |= 1UL << bit;
        if (map.Count < 4096 || m != 0)
        {
            map[template] = mask;
        }

        return BitOperations.PopCount(mask) >= 2;
    }

    private void RefreshPopulation()
    {
        double total = 0;
        int active = 0;
        foreach (var s in _keys.Values)
        {
            if (_lastTs - s.LastTs <= _options.MainWindow.TotalMilliseconds)
            {
                total += s.MainOutputTokens;
                active++;
            }
        }

        _populationOutputPerKey = active >= 5 ? total / active : 0;
    }

    private void Evaluate(SubjectState s, long ts)
    {
        double risk = s.Score(_populationOutputPerKey);
        var action = _options.Actions.ActionFor(risk);
        if (action <= s.Action)
        {
            return;
        }

        if (s.FlaggedAt is null)
        {
            s.FlaggedAt = ts;
            s.RequestsUntilFlagged = s.Requests;
        }

        s.Action = action;
        var signals = SignalMap(s.Signals);
        _pending.Add(new DetectionFinding(
            s.Kind,
            s.Id,
            s.Team,
            Math.Round(risk, 4),
            signals,
            TopSignals(s.Signals),
            DateTimeOffset.FromUnixTimeMilliseconds(ts),
            s.Requests,
            s.SampleIds(),
            action,
            action == DetectionAction.Suspend ? _options.Actions.SuspendMeasure : null));
    }

    private SubjectRisk ToRisk(SubjectState s)
    {
        var signals = s.FlaggedAt is null ? s.Signals : s.PeakSignals;
        return new SubjectRisk(
            s.Kind,
            s.Id,
            s.Team,
            Math.Round(s.Risk, 4),
            Math.Round(s.PeakRisk, 4),
            s.FlaggedAt is null ? "benign" : "extraction",
            SignalMap(signals),
            TopSignals(signals),
            s.FlaggedAt is long f ? DateTimeOffset.FromUnixTimeMilliseconds(f) : null,
            s.RequestsUntilFlagged,
            s.Requests,
            s.SampleIds(),
            s.Action);
    }

    private static Dictionary<string, double> SignalMap(double[] values)
    {
        var map = new Dictionary<string, double>(values.Length, StringComparer.Ordinal);
        for (int i = 0; i < values.Length; i++)
        {
            map[DetectionSignals.Name((DetectionSignal)i)] = Math.Round(values[i], 4);
        }

        return map;
    }

    private List<string> TopSignals(double[] values)
    {
        var w = _options.Weights;
        var order = new List<int>();
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] * w[i] >= 0.02)
            {
                order.Add(i);
            }
        }

        order.Sort((a, b) => (values[b] * w[b]).CompareTo(values[a] * w[a]));
        var names = new List<string>(order.Count);
        foreach (int i in order)
        {
            names.Add(DetectionSignals.Name((DetectionSignal)i));
        }

        return names;
    }
}
