// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;
using System.Text;
using Charter.Detection;
using CsCheck;

namespace Charter.Tests.Detection;

public sealed class DetectionPropertyTests
{
    private static readonly string[] Purposes = ["production", "evaluation", "research"];

    [Fact]
    public void TryParseTimestamp_AnyInstant_MatchesDateTimeOffset()
    {
        Gen.Long[0, 4_102_444_800_000L].Select(Gen.Int[-14 * 60, 14 * 60]).Sample((ms, offsetMinutes) =>
        {
            var instant = DateTimeOffset.FromUnixTimeMilliseconds(ms).ToOffset(TimeSpan.FromMinutes(offsetMinutes));
            string text = instant.ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
            return DetectionRecordParser.TryParseTimestamp(Encoding.UTF8.GetBytes(text), out long parsed) && parsed == ms;
        });
    }

    [Fact]
    public void Observe_RandomRecords_KeepsSignalsAndRiskWithinUnitInterval()
    {
        var genRecord =
            from key in Gen.Int[0, 3]
            from gap in Gen.Long[0, 600_000]
            from prompt in Gen.String[Gen.Char["abc xyz\n step by step dataset"], 0, 200]
            from promptTokens in Gen.Int[0, 5000]
            from completion in Gen.Int[0, 8000]
            from maxTokens in Gen.Int[0, 9000]
            from n in Gen.Int[1, 8]
            from purposeIndex in Gen.Int[0, 2]
            from logprobs in Gen.Bool
            from bias in Gen.Int[0, 400]
            select (key, gap, prompt, promptTokens, completion, maxTokens, n, purposeIndex, logprobs, bias);

        genRecord.Array[30, 200].Sample(items =>
        {
            var engine = new DetectionEngine();
            long ts = 1_790_000_000_000L;
            foreach (var x in items)
            {
                ts += x.gap;
                engine.Observe(new DetectionRecord
                {
                    TimestampMs = ts,
                    Key = "k" + x.key,
                    Team = "t",
                    Purpose = Purposes[x.purposeIndex],
                    PromptText = x.prompt,
                    PromptTokens = x.promptTokens,
                    CompletionTokens = x.completion,
                    MaxTokens = x.maxTokens,
                    N = x.n,
                    Logprobs = x.logprobs,
                    LogitBiasCount = x.bias,
                });
            }

            foreach (var s in engine.Snapshot())
            {
                if (s.Risk is < 0 or > 1 || s.PeakRisk is < 0 or > 1 || s.Signals.Values.Any(v => v is < 0 or > 1 || double.IsNaN(v)))
                {
                    return false;
                }
            }

            return true;
        }, iter: 50);
    }
}
