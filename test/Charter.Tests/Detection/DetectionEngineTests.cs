// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Detection;
using static Charter.Tests.Detection.TrafficBuilder;

namespace Charter.Tests.Detection;

public sealed class DetectionEngineTests
{
    private static List<DetectionRecord> DatasetHarvest(string key, int count, string team = "team-a")
    {
        var b = new TrafficBuilder(21);
        string[] purposes = ["production", "evaluation", "research"];
        var list = new List<DetectionRecord>();
        long ts = Start;
        for (int i = 0; i < count; i++)
        {
            ts += b.Gap(20);
            list.Add(Record(key, ts, "Generate 10 instruction-response pairs as JSONL: " + b.TopicQuestion(i), purpose: purposes[i % 3], team: team) with { RequestId = "req-" + i });
        }

        return list;
    }

    private static List<DetectionRecord> ChatApp(string key, int count, string team = "team-a")
    {
        var b = new TrafficBuilder(22);
        var list = new List<DetectionRecord>();
        long ts = Start;
        for (int i = 0; i < count; i++)
        {
            ts += b.Gap(60);
            list.Add(Record(key, ts, "hey, can you help me with " + b.Words(8), promptTokens: 80, completionTokens: 250, maxTokens: 0, team: team) with { HasSystemPrompt = true, HasEndUser = true });
        }

        return list;
    }

    [Fact]
    public void Observe_HarvestingKey_RaisesEscalatingFindingsWithEvidence()
    {
        var engine = new DetectionEngine();
        var findings = new List<DetectionFinding>();
        engine.FindingRaised += findings.Add;
        foreach (var r in DatasetHarvest("h", 200))
        {
            engine.Observe(r);
        }

        var keyFindings = findings.Where(f => f.Subject == DetectionSubjectKind.Key).ToList();
        Assert.NotEmpty(keyFindings);
        Assert.Equal("h", keyFindings[0].Id);
        Assert.True(keyFindings[0].Risk >= engine.Options.Actions.FlagAt);
        Assert.NotEmpty(keyFindings[0].SampleRequestIds);
        Assert.All(keyFindings[0].SampleRequestIds, id => Assert.StartsWith("req-", id, StringComparison.Ordinal));
        Assert.Contains("dataset_instructions", keyFindings[0].TopSignals);
        Assert.True(keyFindings.Select(f => (int)f.RecommendedAction).SequenceEqual(keyFindings.Select(f => (int)f.RecommendedAction).Order()));
        var last = keyFindings[^1];
        Assert.Equal(DetectionAction.Suspend, last.RecommendedAction);
        Assert.Equal(DetectionActionOptions.DefaultMeasure, last.Measure);
        Assert.Contains(findings, f => f.Subject == DetectionSubjectKind.Team && f.Id == "team-a");
    }

    [Fact]
    public void Snapshot_HarvesterAndChatApp_GivesVerdictsAndRequestsUntilFlagged()
    {
        var records = DatasetHarvest("h", 200).Concat(ChatApp("c", 400)).OrderBy(r => r.TimestampMs).ToList();
        var engine = Run(records);
        var snapshot = engine.Snapshot();
        var h = snapshot.Single(s => s.Subject == DetectionSubjectKind.Key && s.Id == "h");
        var c = snapshot.Single(s => s.Subject == DetectionSubjectKind.Key && s.Id == "c");
        Assert.Equal("extraction", h.Verdict);
        Assert.NotNull(h.FirstFlaggedAt);
        Assert.InRange(h.RequestsUntilFlagged!.Value, engine.Options.MinEvidence, 200);
        Assert.Equal(200, h.Requests);
        Assert.Equal("benign", c.Verdict);
        Assert.Null(c.FirstFlaggedAt);
        Assert.True(c.PeakRisk < engine.Options.Actions.FlagAt);
        Assert.Equal(DetectionSignals.Count, h.Signals.Count);
    }

    [Fact]
    public void Observe_FewerRecordsThanMinEvidence_NeverScores()
    {
        var engine = Run(DatasetHarvest("h", 24));
        Assert.Equal(0, engine.Get(DetectionSubjectKind.Key, "h")!.PeakRisk);
        Assert.Empty(engine.TakeFindings());
    }

    [Fact]
    public void Observe_StoredResponseCallsAndModerations_NotObservedOnlineOrOffline()
    {
        var engine = new DetectionEngine();
        foreach (var endpoint in new[] { "responses.retrieve", "responses.input_items", "responses.delete", "responses.cancel", "moderations" })
        {
            Assert.False(engine.Observe(new DetectionRecord { TimestampMs = 1, Key = "k", Team = "t", Endpoint = endpoint }));
        }

        engine.Observe(new DetectionRecord { TimestampMs = 2, Key = "k", Team = "t", Endpoint = "responses", PromptText = "Summarise the notes." });

        Assert.Equal(1, engine.Observed);
        Assert.Equal(1, engine.Get(DetectionSubjectKind.Key, "k")!.Requests);
    }

    [Fact]
    public void Observe_ActionLevelsDisabled_FlagsOnly()
    {
        var options = new DetectionOptions { Actions = new DetectionActionOptions { ReviewAt = 2, SuspendAt = 2 } };
        var engine = Run(DatasetHarvest("h", 200), options);
        var findings = engine.TakeFindings().Where(f => f.Subject == DetectionSubjectKind.Key).ToList();
        Assert.Single(findings);
        Assert.Equal(DetectionAction.Flag, findings[0].RecommendedAction);
        Assert.Null(findings[0].Measure);
    }

    [Fact]
    public void ActionFor_Thresholds_MapRiskToAction()
    {
        var a = new DetectionActionOptions { FlagAt = 0.5, ReviewAt = 0.7, SuspendAt = 0.9 };
        Assert.Equal(DetectionAction.None, a.ActionFor(0.49));
        Assert.Equal(DetectionAction.Flag, a.ActionFor(0.5));
        Assert.Equal(DetectionAction.Review, a.ActionFor(0.75));
        Assert.Equal(DetectionAction.Suspend, a.ActionFor(0.95));
    }

    [Fact]
    public void Validate_BadOptions_ListsEveryError()
    {
        var options = new DetectionOptions
        {
            Weights = [1.0],
            MinEvidence = 0,
            Actions = new DetectionActionOptions { FlagAt = 0.8, ReviewAt = 0.5, SuspendAt = 0.4, SuspendMeasure = " " },
        };
        var errors = options.Validate();
        Assert.Equal(5, errors.Count);
        Assert.Throws<ArgumentException>(() => new DetectionEngine(options));
    }

    [Fact]
    public void Observe_OutOfOrderRecords_DoNotThrowOrGoNegative()
    {
        var records = DatasetHarvest("h", 100);
        records.Reverse();
        var engine = Run(records);
        var h = engine.Get(DetectionSubjectKind.Key, "h")!;
        Assert.All(h.Signals.Values, v => Assert.InRange(v, 0, 1));
        Assert.InRange(h.Risk, 0, 1);
    }
}
