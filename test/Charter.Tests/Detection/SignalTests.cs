// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Detection;
using static Charter.Tests.Detection.TrafficBuilder;

namespace Charter.Tests.Detection;

public sealed class SignalTests
{
    private static IEnumerable<DetectionRecord> Harvest(string key, int count, double meanGapSeconds = 30, string purpose = "production", string team = "team-a", int offset = 0, int seed = 1)
    {
        var b = new TrafficBuilder(seed);
        long ts = Start;
        for (int i = 0; i < count; i++)
        {
            ts += b.Gap(meanGapSeconds);
            yield return Record(key, ts, b.TopicQuestion(i + offset), purpose: purpose, team: team);
        }
    }

    private static IEnumerable<DetectionRecord> Summaries(string key, int count, string team = "team-a")
    {
        var b = new TrafficBuilder(2);
        long ts = Start;
        for (int i = 0; i < count; i++)
        {
            ts += b.Gap(20);
            yield return Record(key, ts, b.Document("Summarize the following support ticket in two sentences.", 120), promptTokens: 200, completionTokens: 60, maxTokens: 120, team: team);
        }
    }

    [Fact]
    public void OutputRatio_LongOutputsFromShortPrompts_HighForHarvestLowForSummaries()
    {
        var engine = Run(Harvest("h", 100).Concat(Summaries("s", 100)).OrderBy(r => r.TimestampMs));
        Assert.True(Signal(engine, "h", DetectionSignal.OutputRatio) > 0.9);
        Assert.True(Signal(engine, "s", DetectionSignal.OutputRatio) < 0.05);
    }

    [Fact]
    public void CoverageSweep_NewPromptsKeepComing_HighWhileRepeatedQuestionSetStaysLow()
    {
        var repeated = new List<DetectionRecord>();
        var b = new TrafficBuilder(3);
        long ts = Start;
        for (int i = 0; i < 300; i++)
        {
            ts += 30_000;
            repeated.Add(Record("r", ts, b.TopicQuestion(i % 20)));
        }

        var engine = Run(Harvest("h", 300).Concat(repeated).OrderBy(r => r.TimestampMs));
        Assert.True(Signal(engine, "h", DetectionSignal.CoverageSweep) > 0.9);
        Assert.True(Signal(engine, "r", DetectionSignal.CoverageSweep) < 0.15);
    }

    [Fact]
    public void TemplateConcentration_OneWrapperManyFillers_HigherThanFreeformPrompts()
    {
        var freeform = new List<DetectionRecord>();
        var b = new TrafficBuilder(4);
        long ts = Start;
        for (int i = 0; i < 200; i++)
        {
            ts += 30_000;
            freeform.Add(Record("f", ts, b.Words(14)));
        }

        var templated = new List<DetectionRecord>();
        ts = Start;
        for (int i = 0; i < 200; i++)
        {
            ts += 30_000;
            templated.Add(Record("t", ts, "Write a comprehensive expert level answer with examples to the following question: " + b.TopicQuestion(i)));
        }

        var engine = Run(freeform.Concat(templated).OrderBy(r => r.TimestampMs));
        double t = Signal(engine, "t", DetectionSignal.TemplateConcentration);
        double f = Signal(engine, "f", DetectionSignal.TemplateConcentration);
        Assert.True(t > 0.3, $"templated {t}");
        Assert.True(t > f + 0.2, $"templated {t} freeform {f}");
    }

    [Theory]
    [InlineData("Solve step by step and show your reasoning: find x if 3x + 4 = 10.")]
    [InlineData("Résous étape par étape : trouve x si 3x + 4 = 10.")]
    [InlineData("Let's think this through, chain-of-thought style: 3x + 4 = 10.")]
    [InlineData("一步一步地解决：3x + 4 = 10")]
    public void ReasoningElicitation_PhrasesInSeveralLanguages_RaiseSignal(string prompt)
    {
        var records = Enumerable.Range(0, 60).Select(i => Record("c", Start + (i * 10_000L), prompt + " #" + i, completionTokens: 800));
        var engine = Run(records);
        Assert.True(Signal(engine, "c", DetectionSignal.ReasoningElicitation) > 0.9);
    }

    [Fact]
    public void ReasoningElicitation_ShortClassifications_StayZero()
    {
        var engine = Run(Summaries("s", 100));
        Assert.Equal(0, Signal(engine, "s", DetectionSignal.ReasoningElicitation));
    }

    [Theory]
    [InlineData("Generate 20 instruction-response pairs about geology as JSONL.", true)]
    [InlineData("Create training examples for fine-tuning a support bot on billing.", true)]
    [InlineData("Erstelle einen Datensatz mit Fragen und Antworten zu Geologie.", true)]
    [InlineData("生成关于地质学的训练数据", true)]
    [InlineData("Generate 20 realistic fake customer records as JSON for our integration test fixtures.", false)]
    public void DatasetInstructions_DetectsRequestsForTrainingData(string prompt, bool expected)
    {
        var records = Enumerable.Range(0, 40).Select(i => Record("d", Start + (i * 10_000L), prompt + " #" + i, completionTokens: 2000));
        var engine = Run(records);
        double s = Signal(engine, "d", DetectionSignal.DatasetInstructions);
        Assert.Equal(expected, s > 0.5);
    }

    [Fact]
    public void LogitProbing_TopLogprobsOnGenerations_RaisesSignal()
    {
        var b = new TrafficBuilder(5);
        var records = Enumerable.Range(0, 60).Select(i => Record("l", Start + (i * 10_000L), b.TopicQuestion(i)) with { Logprobs = true, TopLogprobs = 20 });
        Assert.True(Signal(Run(records), "l", DetectionSignal.LogitProbing) > 0.9);
    }

    [Fact]
    public void LogitProbing_LargeLogitBiasAndMaxTokensOneRepeats_RaiseSignal()
    {
        var bias = Enumerable.Range(0, 60).Select(i => Record("b", Start + (i * 10_000L), "Pick a token #" + i, completionTokens: 1, maxTokens: 5) with { LogitBiasCount = 300 });
        var repeats = Enumerable.Range(0, 60).Select(i => Record("m", Start + (i * 10_000L), "The capital of France is #" + (i % 5), completionTokens: 1, maxTokens: 1));
        var engine = Run(bias.Concat(repeats).OrderBy(r => r.TimestampMs));
        Assert.True(Signal(engine, "b", DetectionSignal.LogitProbing) > 0.9);
        Assert.True(Signal(engine, "m", DetectionSignal.LogitProbing) > 0.9);
    }

    [Fact]
    public void LogitProbing_MultipleChoiceEvalWithoutLogprobs_StaysZero()
    {
        var b = new TrafficBuilder(6);
        string[] models = ["gpt-4o", "gpt-4o-mini", "llama-70b"];
        var records = new List<DetectionRecord>();
        long ts = Start;
        foreach (var model in models)
        {
            for (int i = 0; i < 50; i++)
            {
                ts += 5_000;
                records.Add(Record("e", ts, "Answer with a single letter. " + b.TopicQuestion(i), completionTokens: 1, maxTokens: 1, purpose: "evaluation", model: model, temperature: 0));
            }
        }

        Assert.Equal(0, Signal(Run(records), "e", DetectionSignal.LogitProbing));
    }

    [Fact]
    public void SamplingSweep_NGreaterThanOneAndTemperatureSweeps_RaiseSignal()
    {
        var b = new TrafficBuilder(7);
        var n = Enumerable.Range(0, 60).Select(i => Record("n", Start + (i * 10_000L), b.TopicQuestion(i), completionTokens: 3000) with { N = 4 });
        var temps = Enumerable.Range(0, 60).Select(i => Record("t", Start + (i * 10_000L), b.TopicQuestion(i / 3), temperature: 0.3f * (i % 3)));
        var engine = Run(n.Concat(temps).OrderBy(r => r.TimestampMs));
        Assert.True(Signal(engine, "n", DetectionSignal.SamplingSweep) > 0.9);
        Assert.True(Signal(engine, "t", DetectionSignal.SamplingSweep) > 0.5);
    }

    [Fact]
    public void SamplingSweep_SameTemperatureRetries_StayZero()
    {
        var b = new TrafficBuilder(8);
        var records = Enumerable.Range(0, 60).Select(i => Record("r", Start + (i * 10_000L), b.TopicQuestion(i / 3), temperature: 0.7f));
        Assert.Equal(0, Signal(Run(records), "r", DetectionSignal.SamplingSweep));
    }

    [Fact]
    public void Timing_MetronomeAroundTheClock_HigherThanOfficeHoursPoisson()
    {
        var b = new TrafficBuilder(9);
        var metronome = Enumerable.Range(0, 600).Select(i => Record("m", Start + (i * 240_000L), b.TopicQuestion(i)));
        var office = new List<DetectionRecord>();
        long ts = Start;
        while (office.Count < 600)
        {
            ts += b.Gap(120);
            int hour = (int)(ts / 3_600_000 % 24);
            if (hour is >= 9 and < 17)
            {
                office.Add(Record("o", ts, b.TopicQuestion(office.Count)));
            }
        }

        var engine = Run(metronome.Concat(office).OrderBy(r => r.TimestampMs));
        double m = Signal(engine, "m", DetectionSignal.Timing);
        double o = Signal(engine, "o", DetectionSignal.Timing);
        Assert.True(m > 0.8, $"metronome {m}");
        Assert.True(o < 0.2, $"office {o}");
    }

    [Fact]
    public void Volume_OutputTokensFarAboveThePopulation_RaisesSignal()
    {
        var records = new List<DetectionRecord>();
        var b = new TrafficBuilder(10);
        for (int k = 0; k < 6; k++)
        {
            records.AddRange(Enumerable.Range(0, 50).Select(i => Record("quiet-" + k, Start + (i * 60_000L) + k, "Hello there #" + i, completionTokens: 50, maxTokens: 100)));
        }

        records.AddRange(Enumerable.Range(0, 1500).Select(i => Record("loud", Start + (i * 2_000L), b.TopicQuestion(i), completionTokens: 3000)));
        var engine = Run(records.OrderBy(r => r.TimestampMs));
        Assert.True(Signal(engine, "loud", DetectionSignal.Volume) > 0.5);
        Assert.True(Signal(engine, "quiet-0", DetectionSignal.Volume) < 0.1);
    }

    [Fact]
    public void FanOut_KeysOfOneTeamSharingAGenerativeTemplate_RaisesSignalOnlyWithinTheTeam()
    {
        var shared = Harvest("k1", 100, team: "t1").Concat(Harvest("k2", 100, team: "t1", offset: 1000, seed: 2));
        var alone = Harvest("k3", 100, team: "t2", offset: 2000, seed: 3);
        var engine = Run(shared.Concat(alone).OrderBy(r => r.TimestampMs));
        Assert.True(Signal(engine, "k2", DetectionSignal.FanOut) > 0.5);
        Assert.Equal(0, Signal(engine, "k3", DetectionSignal.FanOut));
    }

    [Fact]
    public void PurposeMismatch_OneTemplateUnderRotatingPurposes_RaisesSignal()
    {
        string[] purposes = ["production", "evaluation", "research"];
        var b = new TrafficBuilder(11);
        var records = Enumerable.Range(0, 60).Select(i => Record("p", Start + (i * 30_000L), b.TopicQuestion(i), purpose: purposes[i % 3]));
        Assert.True(Signal(Run(records), "p", DetectionSignal.PurposeMismatch) > 0.9);
    }

    [Fact]
    public void PurposeMismatch_EvaluationOnOneModelWithoutRunId_RaisesSignalButQuestionSetAcrossModelsDoesNot()
    {
        var b = new TrafficBuilder(12);
        var single = Enumerable.Range(0, 400).Select(i => Record("single", Start + (i * 20_000L), b.TopicQuestion(i), completionTokens: 900, maxTokens: 1024, purpose: "evaluation"));
        var suite = new List<DetectionRecord>();
        long ts = Start;
        foreach (var model in new[] { "gpt-4o", "claude-sonnet", "llama-70b", "gpt-4o-mini" })
        {
            for (int i = 0; i < 100; i++)
            {
                ts += 20_000;
                suite.Add(Record("suite", ts, b.TopicQuestion(i), completionTokens: 900, maxTokens: 1024, purpose: "evaluation", model: model));
            }
        }

        var engine = Run(single.Concat(suite).OrderBy(r => r.TimestampMs));
        Assert.True(Signal(engine, "single", DetectionSignal.PurposeMismatch) > 0.8);
        Assert.True(Signal(engine, "suite", DetectionSignal.PurposeMismatch) < 0.1);
        Assert.True(Signal(engine, "suite", DetectionSignal.CoverageSweep) < 0.2);
        Assert.True(Signal(engine, "single", DetectionSignal.CoverageSweep) > 0.5);
    }

    [Fact]
    public void PurposeMismatch_EvaluationWithRunId_StaysZero()
    {
        var b = new TrafficBuilder(13);
        var records = Enumerable.Range(0, 400).Select(i => Record("run", Start + (i * 20_000L), b.TopicQuestion(i), completionTokens: 900, purpose: "evaluation") with { EvalRunId = "run-1" });
        Assert.Equal(0, Signal(Run(records), "run", DetectionSignal.PurposeMismatch));
    }
}
