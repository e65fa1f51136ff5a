// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Diagnostics.Metrics;
using Charter.Records;

namespace Charter.Observability;

/// <summary>
/// Charter's meter (<see cref="MeterName"/>), fed from the journal by the integrator rather than from the request path: a
/// request costs its thread nothing more for being counted. Counters are running totals the meter reads when it is
/// collected (a scrape, an OTLP push); only the latency histogram takes one measurement per request, on the integrator.
/// </summary>
/// <remarks>
/// Instruments (Prometheus names in brackets):
/// <list type="bullet">
/// <item><c>charter.requests</c> [<c>charter_requests_total</c>]: every request, allowed or refused, by team, model, provider
/// account, status, outcome (<c>ok</c>, <c>refused</c>, <c>error</c>, <c>client_disconnected</c>) and error code.</item>
/// <item><c>charter.request.duration</c> [<c>charter_request_duration_seconds</c>]: to the last byte, by model, account and
/// outcome.</item>
/// <item><c>charter.time_to_first_token</c> [<c>charter_time_to_first_token_seconds</c>]: streams only, from the request to
/// the first event the client got, by model and account.</item>
/// <item><c>charter.tokens</c> [<c>charter_tokens_total</c>]: by team, model, account and type (<c>prompt</c>,
/// <c>completion</c>, <c>cached</c>; <c>estimated</c> for completion tokens counted by the tokenizer).</item>
/// <item><c>charter.cost.usd</c> [<c>charter_cost_usd_total</c>]: by team, model and account, where a price is known.</item>
/// <item><c>charter.policy.decisions</c> [<c>charter_policy_decisions_total</c>]: allow, flag and deny by rule and purpose.</item>
/// </list>
/// Events journaled before this process started (replayed after a restart) are not counted: the totals start at zero with
/// the process, as Prometheus expects of a counter.
/// </remarks>
public sealed class MetricsSink : IEventSink, IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Charter";

    private const string Other = "other";
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    private readonly Meter _meter = new(MeterName);
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _firstToken;
    private readonly DateTimeOffset _started;
    private readonly int _maxModels;
    private readonly Lock _lock = new();
    private readonly Dictionary<RequestSeries, long> _requests = [];
    private readonly Dictionary<UsageSeries, UsageTotals> _usage = [];
    private readonly Dictionary<DecisionSeries, long> _decisions = [];
    private readonly HashSet<string> _models = new(StringComparer.Ordinal);

    /// <summary>Creates the meter and its instruments.</summary>
    public MetricsSink(MetricsOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _started = time.GetUtcNow();
        _maxModels = options.MaxModels;
        _meter.CreateObservableCounter("charter.requests", ObserveRequests, "{request}", "Requests, allowed or refused.");
        _meter.CreateObservableCounter("charter.tokens", ObserveTokens, "{token}", "Tokens, as the provider reported them or as estimated.");
        _meter.CreateObservableCounter("charter.cost.usd", ObserveCost, null, "Spend in US dollars, where a price is known.");
        _meter.CreateObservableCounter("charter.policy.decisions", ObserveDecisions, "{decision}", "Policy decisions by rule and purpose.");
        _duration = _meter.CreateHistogram("charter.request.duration", "s", "Time from the request to its last byte.", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _firstToken = _meter.CreateHistogram("charter.time_to_first_token", "s", "Streams: time from the request to the first event the client got.", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
    }

    /// <inheritdoc/>
    public string Name => "metrics";

    /// <summary>This sink's meter (one per sink: each gateway in a process has its own totals).</summary>
    internal Meter Meter => _meter;

    /// <inheritdoc/>
    public Task<JournalPosition?> GetPositionAsync(CancellationToken cancellationToken) => Task.FromResult<JournalPosition?>(null);

    /// <inheritdoc/>
    public Task ConsumeAsync(IReadOnlyList<JournalEvent> batch, JournalPosition position, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        lock (_lock)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                var e = batch[i];
                if (e.Ts < _started)
                {
                    continue;
                }

                if (e.Kind == "request")
                {
                    ObserveRequest(e);
                }
                else if (e.Kind == "completion")
                {
                    ObserveCompletion(e);
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public void Dispose() => _meter.Dispose();

    private static string OutcomeOf(int status, string? code) => code switch
    {
        null when status < 400 => "ok",
        "client_disconnected" => "client_disconnected",
        _ => "error",
    };

    private void ObserveRequest(JournalEvent e)
    {
        var decision = e.Decision ?? "allow";
        Increment(_decisions, new DecisionSeries(decision, e.Rule ?? "", e.Purpose ?? ""));
        if (decision != "deny")
        {
            return; // counted with its completion
        }

        var model = ModelLabel(e.Model);
        var status = e.Status ?? 0;
        Increment(_requests, new RequestSeries(e.Team ?? "", model, e.Account ?? "", status, "refused", e.Code ?? ""));
        RecordDuration(e.LatencyMs, model, e.Account ?? "", "refused");
    }

    private void ObserveCompletion(JournalEvent e)
    {
        var model = ModelLabel(e.Model);
        var account = e.Account ?? "";
        var team = e.Team ?? "";
        var status = e.Status ?? 0;
        var outcome = OutcomeOf(status, e.Code);
        Increment(_requests, new RequestSeries(team, model, account, status, outcome, e.Code ?? ""));
        RecordDuration(e.LatencyMs, model, account, outcome);
        if (e.FirstTokenMs is { } firstToken)
        {
            _firstToken.Record(firstToken / 1000, new("model", model), new("account", account));
        }

        if (e.PromptTokens is null && e.CompletionTokens is null && e.CostNanos is null)
        {
            return;
        }

        var key = new UsageSeries(team, model, account);
        if (!_usage.TryGetValue(key, out var totals))
        {
            _usage[key] = totals = new UsageTotals();
        }

        totals.Prompt += e.PromptTokens ?? 0;
        if (e.Estimated)
        {
            totals.EstimatedCompletion += e.CompletionTokens ?? 0;
        }
        else
        {
            totals.Completion += e.CompletionTokens ?? 0;
        }

        totals.Cached += e.CachedTokens ?? 0;
        totals.CostNanos += e.CostNanos ?? 0;
    }

    // The model as a label: a client chooses it where no routes are configured, so past MaxModels names the rest are "other".
    private string ModelLabel(string? model)
    {
        if (model is null)
        {
            return "";
        }

        return _models.Contains(model) || (_models.Count < _maxModels && _models.Add(model)) ? model : Other;
    }

    private static void Increment<TKey>(Dictionary<TKey, long> totals, TKey key)
        where TKey : notnull
    {
        System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(totals, key, out _)++;
    }

    private void RecordDuration(double? latencyMs, string model, string account, string outcome)
    {
        if (latencyMs is { } ms)
        {
            _duration.Record(ms / 1000, new("model", model), new("account", account), new("outcome", outcome));
        }
    }

    private IEnumerable<Measurement<long>> ObserveRequests()
    {
        lock (_lock)
        {
            var list = new List<Measurement<long>>(_requests.Count);
            foreach (var (s, n) in _requests)
            {
                list.Add(new(n, new("team", s.Team), new("model", s.Model), new("account", s.Account),
                    new("status", s.Status), new("outcome", s.Outcome), new("code", s.Code)));
            }

            return list;
        }
    }

    private IEnumerable<Measurement<long>> ObserveTokens()
    {
        lock (_lock)
        {
            var list = new List<Measurement<long>>(_usage.Count * 3);
            foreach (var (s, t) in _usage)
            {
                Add(list, s, "prompt", t.Prompt);
                Add(list, s, "completion", t.Completion);
                Add(list, s, "estimated", t.EstimatedCompletion);
                Add(list, s, "cached", t.Cached);
            }

            return list;
        }

        static void Add(List<Measurement<long>> list, UsageSeries s, string type, long value)
        {
            if (value > 0)
            {
                list.Add(new(value, new("team", s.Team), new("model", s.Model), new("account", s.Account), new("type", type)));
            }
        }
    }

    private IEnumerable<Measurement<double>> ObserveCost()
    {
        lock (_lock)
        {
            var list = new List<Measurement<double>>(_usage.Count);
            foreach (var (s, t) in _usage)
            {
                if (t.CostNanos > 0)
                {
                    list.Add(new(t.CostNanos / 1e9, new("team", s.Team), new("model", s.Model), new("account", s.Account)));
                }
            }

            return list;
        }
    }

    private IEnumerable<Measurement<long>> ObserveDecisions()
    {
        lock (_lock)
        {
            var list = new List<Measurement<long>>(_decisions.Count);
            foreach (var (s, n) in _decisions)
            {
                list.Add(new(n, new("decision", s.Decision), new("rule", s.Rule), new("purpose", s.Purpose)));
            }

            return list;
        }
    }
}
