// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Diagnostics.Metrics;
using Charter.Observability;
using Charter.Records;
using Microsoft.Extensions.Time.Testing;

namespace Charter.Tests.Observability;

/// <summary>The meter fed from the journal: what each event adds, and what it leaves out.</summary>
public sealed class MetricsSinkTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ConsumeAsync_RequestsAndCompletions_CountedByOutcomeWithTokensAndDecisions()
    {
        using var probe = new Measured(new MetricsSink(new MetricsOptions(), new FakeTimeProvider(Start)));
        var sink = probe.Sink;
        JournalEvent[] batch =
        [
            Request("r1", "allow"), Completion("r1", 200, prompt: 10, completion: 5),
            Request("r2", "flag", rule: "org.flag-bulk"), Completion("r2", 200, prompt: 7, completion: 3, estimated: true),
            Request("r3", "allow"), Completion("r3", 502, code: "upstream_error"),
            Request("r4", "allow"), Completion("r4", 200, code: "client_disconnected", prompt: 1, completion: 2, estimated: true),
            Deny("r5", 403, "charter_policy_denied", "terms.no-competing-models"),
        ];

        await sink.ConsumeAsync(batch, default, TestContext.Current.CancellationToken);
        var m = probe.Collect();

        Assert.Equal(2, m.Sum("charter.requests", ("outcome", "ok")));
        Assert.Equal(1, m.Sum("charter.requests", ("outcome", "error"), ("status", "502"), ("code", "upstream_error")));
        Assert.Equal(1, m.Sum("charter.requests", ("outcome", "client_disconnected")));
        Assert.Equal(1, m.Sum("charter.requests", ("outcome", "refused"), ("status", "403"), ("code", "charter_policy_denied"), ("account", "")));
        Assert.Equal(5, m.Sum("charter.requests", ("team", "team_a")));
        Assert.Equal(18, m.Sum("charter.tokens", ("type", "prompt")));
        Assert.Equal(5, m.Sum("charter.tokens", ("type", "completion")));
        Assert.Equal(5, m.Sum("charter.tokens", ("type", "estimated")));
        Assert.Equal(3, m.Sum("charter.policy.decisions", ("decision", "allow")));
        Assert.Equal(1, m.Sum("charter.policy.decisions", ("decision", "flag"), ("rule", "org.flag-bulk")));
        Assert.Equal(1, m.Sum("charter.policy.decisions", ("decision", "deny"), ("rule", "terms.no-competing-models")));
        Assert.Equal(5, m.Durations.Count);
        Assert.Contains(0.25, m.Durations);
    }

    [Fact]
    public async Task ConsumeAsync_CostInNanoDollars_ReportedInDollars()
    {
        using var probe = new Measured(new MetricsSink(new MetricsOptions(), new FakeTimeProvider(Start)));
        var sink = probe.Sink;

        await sink.ConsumeAsync([Completion("r1", 200, prompt: 1000, completion: 1000, cost: 2_500_000), Completion("r2", 200, cost: 500_000)], default,
            TestContext.Current.CancellationToken);

        Assert.Equal(0.003, probe.Collect().SumDouble("charter.cost.usd"), 9);
    }

    [Fact]
    public async Task ConsumeAsync_EventsFromBeforeTheProcessStarted_NotCounted()
    {
        using var probe = new Measured(new MetricsSink(new MetricsOptions(), new FakeTimeProvider(Start)));
        var sink = probe.Sink;
        var replayed = Completion("old", 200, prompt: 100, completion: 100);
        replayed.Ts = Start.AddSeconds(-1);

        await sink.ConsumeAsync([replayed, Completion("new", 200, prompt: 1, completion: 1)], default, TestContext.Current.CancellationToken);
        var m = probe.Collect();

        Assert.Equal(1, m.Sum("charter.requests"));
        Assert.Equal(1, m.Sum("charter.tokens", ("type", "prompt")));
    }

    [Fact]
    public async Task ConsumeAsync_MoreModelsThanTheLimit_TheRestCountedAsOther()
    {
        using var probe = new Measured(new MetricsSink(new MetricsOptions { MaxModels = 2 }, new FakeTimeProvider(Start)));
        var sink = probe.Sink;
        var batch = Enumerable.Range(0, 5).Select(i => Completion("r" + i, 200, model: "m" + i)).Append(Completion("again", 200, model: "m0")).ToArray();

        await sink.ConsumeAsync(batch, default, TestContext.Current.CancellationToken);
        var m = probe.Collect();

        Assert.Equal(2, m.Sum("charter.requests", ("model", "m0")));
        Assert.Equal(1, m.Sum("charter.requests", ("model", "m1")));
        Assert.Equal(3, m.Sum("charter.requests", ("model", "other")));
        Assert.Equal(0, m.Sum("charter.requests", ("model", "m4")));
    }

    private static JournalEvent Request(string id, string decision, string? rule = null) => new()
    {
        Kind = "request", Id = id, Ts = Start.AddMilliseconds(1), Key = "key_a", Team = "team_a", Model = "gpt-4o", Purpose = "testing",
        Endpoint = "chat.completions", Decision = decision, Rule = rule, Provider = "sim", Account = "sim",
    };

    private static JournalEvent Deny(string id, int status, string code, string rule)
    {
        var e = Request(id, "deny", rule);
        e.Account = null;
        e.Status = status;
        e.Code = code;
        e.LatencyMs = 0.5;
        return e;
    }

    private static JournalEvent Completion(string id, int status, string? code = null, int? prompt = null, int? completion = null, bool estimated = false,
        long? cost = null, string model = "gpt-4o") => new()
    {
        Kind = "completion", Id = id, Ts = Start.AddMilliseconds(2), Key = "key_a", Team = "team_a", Model = model, Provider = "sim", Account = "sim",
        Status = status, Code = code, PromptTokens = prompt, CompletionTokens = completion, Estimated = estimated, CostNanos = cost, LatencyMs = 250,
    };

    // Listens to the sink's meter from creation: histogram measurements are seen as they are recorded, the observable
    // counters when Collect asks for them.
    private sealed class Measured : IDisposable
    {
        private readonly MeterListener _listener = new();

        public Measured(MetricsSink sink)
        {
            Sink = sink;
            _listener.InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, sink.Meter)) // not another test's gateway
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Longs.Add((i.Name, v, tags.ToArray())));
            _listener.SetMeasurementEventCallback<double>((i, v, tags, _) =>
            {
                if (i.Name == "charter.request.duration")
                {
                    Durations.Add(v);
                }
                else
                {
                    Doubles.Add((i.Name, v, tags.ToArray()));
                }
            });
            _listener.Start();
        }

        public MetricsSink Sink { get; }

        public List<(string Name, long Value, KeyValuePair<string, object?>[] Tags)> Longs { get; } = [];

        public List<(string Name, double Value, KeyValuePair<string, object?>[] Tags)> Doubles { get; } = [];

        public List<double> Durations { get; } = [];

        public Measured Collect()
        {
            Longs.Clear();
            Doubles.Clear();
            _listener.RecordObservableInstruments();
            return this;
        }

        public void Dispose()
        {
            _listener.Dispose();
            Sink.Dispose();
        }

        public long Sum(string name, params (string Key, string Value)[] tags) =>
            Longs.Where(m => m.Name == name && Matches(m.Tags, tags)).Sum(m => m.Value);

        public double SumDouble(string name) => Doubles.Where(m => m.Name == name).Sum(m => m.Value);

        private static bool Matches(KeyValuePair<string, object?>[] have, (string Key, string Value)[] want) =>
            want.All(w => have.Any(h => h.Key == w.Key && Convert.ToString(h.Value, System.Globalization.CultureInfo.InvariantCulture) == w.Value));
    }
}
