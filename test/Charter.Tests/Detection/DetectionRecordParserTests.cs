// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.IO.Compression;
using System.Text;
using Charter.Detection;

namespace Charter.Tests.Detection;

public sealed class DetectionRecordParserTests
{
    private const string Line = """
        {"ts":"2026-10-05T00:00:06.009Z","key":"k1","team":"t1","provider":"openai","model":"gpt-4o","purpose":"evaluation","endpoint":"chat.completions","request_id":"req-1","eval_run":"run-9","request":{"model":"gpt-4o","messages":[{"content":"be terse","role":"system"},{"role":"user","content":"What is 2+2?"},{"role":"assistant","content":"4"},{"role":"user","content":[{"type":"text","text":"And \u00e9 3+3?"}]}],"max_completion_tokens":77,"n":3,"temperature":0.5,"top_p":0.9,"seed":42,"logprobs":true,"top_logprobs":5,"logit_bias":{"1":5,"2":-5},"stream":true,"user":"u-1","tools":[{"x":[1,2,{"y":null}]}]},"usage":{"prompt_tokens":21,"completion_tokens":1982},"status":200}
        """;

    [Theory]
    [InlineData("""{"model":"gpt-4o","messages":[{"content":"be terse","role":"system"},{"role":"user","content":"What is 2+2?"},{"role":"assistant","content":"4"},{"role":"user","content":[{"type":"text","text":"And \u00e9 3+3?"}]}],"max_completion_tokens":77,"n":3,"temperature":0.5,"top_p":0.9,"seed":42,"logprobs":true,"top_logprobs":5,"logit_bias":{"1":5,"2":-5},"stream":true,"user":"u-1","tools":[{"x":[1,2,{"y":null}]}]}""")]
    [InlineData("""{"model":"text-embedding-3-small","input":"hello"}""")]
    [InlineData("""{"messages":[{"role":"user","content":"no model in the body"}],"max_tokens":8}""")]
    [InlineData("")]
    public void TryParseRequest_GatewayEnvelope_EqualsRecordParsedFromLogLine(string body)
    {
        // The online detection path (envelope from the journal, body parsed) must see exactly what the offline backtest
        // parses from the same request's log line.
        var envelope = new DetectionEnvelope(1_791_158_406_009, "k1", "t1", "openai", "gpt-4o", "evaluation", "chat.completions", 200, 21, 1982, "req-1", "run-9");
        var line = $$"""{"ts":"2026-10-05T00:00:06.009Z","key":"k1","team":"t1","provider":"openai","model":"gpt-4o","purpose":"evaluation","endpoint":"chat.completions","request_id":"req-1","eval_run":"run-9","status":200,"usage":{"prompt_tokens":21,"completion_tokens":1982}{{(body.Length > 0 ? ",\"request\":" + body : "")}}}""";
        var parser = new DetectionRecordParser();

        Assert.True(parser.TryParse(Encoding.UTF8.GetBytes(line), out var fromLine));
        Assert.True(parser.TryParseRequest(Encoding.UTF8.GetBytes(body), in envelope, out var online));

        Assert.Equal(envelope.TimestampMs, fromLine!.TimestampMs);
        Assert.Equal(fromLine, online);
    }

    [Theory]
    [InlineData("""{"model":"gpt-4o","instructions":"be terse","input":"What is 2+2?","max_output_tokens":77,"include":["message.output_text.logprobs"],"top_logprobs":5}""", "What is 2+2?", true, true)]
    [InlineData("""{"model":"gpt-4o","input":[{"role":"developer","content":"rules"},{"role":"user","content":[{"type":"input_text","text":"What is 2+2?"}]},{"type":"function_call_output","call_id":"c","output":"4"}],"max_output_tokens":77,"top_logprobs":2}""", "What is 2+2?", true, true)]
    [InlineData("""{"model":"gpt-4o","input":"What is 2+2?","max_output_tokens":77}""", "What is 2+2?", false, false)]
    public void TryParseRequest_ResponsesBody_ReadsInputAsThePromptLikeTheLogLine(string body, string prompt, bool system, bool logprobs)
    {
        var envelope = new DetectionEnvelope(1_791_158_406_009, "k1", "t1", "openai", "gpt-4o", "evaluation", "responses", 200, 21, 1982, "req-1", null);
        var line = $$"""{"ts":"2026-10-05T00:00:06.009Z","key":"k1","team":"t1","provider":"openai","model":"gpt-4o","purpose":"evaluation","endpoint":"responses","request_id":"req-1","status":200,"usage":{"prompt_tokens":21,"completion_tokens":1982},"request":{{body}}}""";
        var parser = new DetectionRecordParser();

        Assert.True(parser.TryParseRequest(Encoding.UTF8.GetBytes(body), in envelope, out var online));
        Assert.True(parser.TryParse(Encoding.UTF8.GetBytes(line), out var fromLine));

        Assert.Equal(fromLine, online);
        Assert.Equal(prompt, online!.PromptText);
        Assert.Equal(system, online.HasSystemPrompt);
        Assert.Equal(logprobs, online.Logprobs);
        Assert.Equal(77, online.MaxTokens);
        Assert.Equal("responses", online.Endpoint);
    }

    [Theory]
    [InlineData("""{"model":"davinci-002","prompt":"What is 2+2?","max_tokens":77,"logprobs":0}""", "What is 2+2?", true, 0, 1)]
    [InlineData("""{"model":"davinci-002","prompt":["What is 2+2?","And 3+3?"],"max_tokens":77,"logprobs":5,"n":2,"best_of":6}""", "What is 2+2?\nAnd 3+3?", true, 5, 6)]
    [InlineData("""{"model":"davinci-002","prompt":[[1,2,3]],"max_tokens":77}""", "", false, 0, 1)]
    public void TryParseRequest_CompletionsBody_ReadsPromptLogprobsAndBestOfLikeTheLogLine(string body, string prompt, bool logprobs, int top, int n)
    {
        var envelope = new DetectionEnvelope(1_791_158_406_009, "k1", "t1", "openai", "davinci-002", "evaluation", "completions", 200, 21, 1982, "req-1", null);
        var line = $$"""{"ts":"2026-10-05T00:00:06.009Z","key":"k1","team":"t1","provider":"openai","model":"davinci-002","purpose":"evaluation","endpoint":"completions","request_id":"req-1","status":200,"usage":{"prompt_tokens":21,"completion_tokens":1982},"request":{{body}}}""";
        var parser = new DetectionRecordParser();

        Assert.True(parser.TryParseRequest(Encoding.UTF8.GetBytes(body), in envelope, out var online));
        Assert.True(parser.TryParse(Encoding.UTF8.GetBytes(line), out var fromLine));

        Assert.Equal(fromLine, online);
        Assert.Equal(prompt, online!.PromptText);
        Assert.Equal((logprobs, top, n, 77), (online.Logprobs, online.TopLogprobs, online.N, online.MaxTokens));
    }

    [Fact]
    public void TryParse_ExportedCompletionsRecordWithHashedPrompt_NoPrompt()
    {
        const string line = """{"ts":"2026-10-05T00:00:06.009Z","key":"k1","team":"t1","endpoint":"completions","request":{"model":"m","prompt":"sha256:fb9c76c95ea0ac08146a58e1d22efa47ca5d0baaa469a652701efddc1ef8c397"},"status":200}""";
        Assert.True(new DetectionRecordParser().TryParse(Encoding.UTF8.GetBytes(line), out var r));
        Assert.Equal("", r!.PromptText);
    }

    [Theory]
    [InlineData("""{"model":"claude-sonnet-4","system":"be terse","messages":[{"role":"user","content":"What is 2+2?"}],"max_tokens":77}""", true)]
    [InlineData("""{"model":"claude-sonnet-4","system":[{"type":"text","text":"be terse"}],"messages":[{"role":"user","content":[{"type":"text","text":"What is 2+2?"}]}],"max_tokens":77}""", true)]
    [InlineData("""{"model":"claude-sonnet-4","system":[],"messages":[{"role":"user","content":"What is 2+2?"}],"max_tokens":77}""", false)]
    [InlineData("""{"model":"claude-sonnet-4","messages":[{"role":"user","content":"What is 2+2?"}],"max_tokens":77}""", false)]
    public void TryParseRequest_MessagesBody_ReadsTheSystemPromptLikeTheLogLine(string body, bool system)
    {
        var envelope = new DetectionEnvelope(1_791_158_406_009, "k1", "t1", "anthropic", "claude-sonnet-4", "evaluation", "messages", 200, 21, 77, "req-1", null);
        var line = $$"""{"ts":"2026-10-05T00:00:06.009Z","key":"k1","team":"t1","provider":"anthropic","model":"claude-sonnet-4","purpose":"evaluation","endpoint":"messages","request_id":"req-1","status":200,"usage":{"prompt_tokens":21,"completion_tokens":77},"request":{{body}}}""";
        var parser = new DetectionRecordParser();

        Assert.True(parser.TryParseRequest(Encoding.UTF8.GetBytes(body), in envelope, out var online));
        Assert.True(parser.TryParse(Encoding.UTF8.GetBytes(line), out var fromLine));

        Assert.Equal(fromLine, online);
        Assert.Equal("What is 2+2?", online!.PromptText);
        Assert.Equal(system, online.HasSystemPrompt);
        Assert.Equal(77, online.MaxTokens);
    }

    [Fact]
    public void TryParse_ExportedResponsesRecordWithHashedInput_NoPrompt()
    {
        const string line = """{"ts":"2026-10-05T00:00:06.009Z","key":"k1","team":"t1","endpoint":"responses","request":{"model":"m","input":"sha256:fb9c76c95ea0ac08146a58e1d22efa47ca5d0baaa469a652701efddc1ef8c397","instructions":"sha256:00"},"status":200}""";
        Assert.True(new DetectionRecordParser().TryParse(Encoding.UTF8.GetBytes(line), out var r));
        Assert.Equal("", r!.PromptText);
        Assert.True(r.HasSystemPrompt);
    }

    [Fact]
    public void TryParseRequest_EmbeddingsInput_NotAPrompt()
    {
        var envelope = new DetectionEnvelope(0, "k", "t", "openai", "e", "evaluation", "embeddings", 200, 0, 0, null, null);
        Assert.True(new DetectionRecordParser().TryParseRequest("""{"model":"e","input":"What is 2+2?"}"""u8, in envelope, out var record));
        Assert.Equal("", record!.PromptText);
    }

    [Fact]
    public void TryParseRequest_BodyNotAnObject_ReturnsFalse()
    {
        var envelope = new DetectionEnvelope(0, "k", "t", "", "", "", "chat.completions", 200, 0, 0, null, null);
        Assert.False(new DetectionRecordParser().TryParseRequest("[1,2]"u8, in envelope, out var record));
        Assert.Null(record);
        Assert.False(new DetectionRecordParser().TryParseRequest("{\"messages\":"u8, in envelope, out record));
    }

    [Fact]
    public void TryParse_FullRecord_ReadsEveryField()
    {
        var parser = new DetectionRecordParser();
        Assert.True(parser.TryParse(Encoding.UTF8.GetBytes(Line), out var r));
        Assert.NotNull(r);
        Assert.Equal(DateTimeOffset.Parse("2026-10-05T00:00:06.009Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), r.TimestampMs);
        Assert.Equal(("k1", "t1", "openai", "gpt-4o", "evaluation"), (r.Key, r.Team, r.Provider, r.Model, r.Purpose));
        Assert.Equal("What is 2+2?\nAnd é 3+3?", r.PromptText);
        Assert.True(r.HasSystemPrompt);
        Assert.True(r.HasEndUser);
        Assert.Equal(77, r.MaxTokens);
        Assert.Equal(3, r.N);
        Assert.Equal(0.5f, r.Temperature);
        Assert.Equal(0.9f, r.TopP);
        Assert.Equal(42L, r.Seed);
        Assert.True(r.Logprobs);
        Assert.Equal(5, r.TopLogprobs);
        Assert.Equal(2, r.LogitBiasCount);
        Assert.True(r.Stream);
        Assert.Equal((21, 1982, 200), (r.PromptTokens, r.CompletionTokens, r.Status));
        Assert.Equal("req-1", r.RequestId);
        Assert.Equal("run-9", r.EvalRunId);
    }

    [Fact]
    public void TryParse_MinimalRecord_UsesDefaults()
    {
        var parser = new DetectionRecordParser();
        Assert.True(parser.TryParse("""{"ts":"2026-10-05T00:00:00Z","key":"k","team":"t","request":{"messages":[{"role":"user","content":"hi"}]}}"""u8, out var r));
        Assert.Equal(1, r!.N);
        Assert.True(float.IsNaN(r.Temperature));
        Assert.Null(r.Seed);
        Assert.Equal(0, r.MaxTokens);
        Assert.Equal("hi", r.PromptText);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("""{"key":"k","team":"t"}""")]
    [InlineData("""{"ts":"yesterday","key":"k"}""")]
    [InlineData("""{"ts":"2026-10-05T00:00:00Z","key":"k","request":{"messages":[""")]
    public void TryParse_MalformedLine_ReturnsFalse(string line)
    {
        Assert.False(new DetectionRecordParser().TryParse(Encoding.UTF8.GetBytes(line), out var r));
        Assert.Null(r);
    }

    [Theory]
    [InlineData("2026-10-05T00:00:06.009Z")]
    [InlineData("2026-10-05T00:00:06Z")]
    [InlineData("2024-02-29T23:59:59.1234567Z")]
    [InlineData("2026-10-05T02:00:06.5+02:00")]
    [InlineData("1999-12-31T23:59:59.999-05:30")]
    public void TryParseTimestamp_IsoForms_MatchDateTimeOffset(string text)
    {
        Assert.True(DetectionRecordParser.TryParseTimestamp(Encoding.UTF8.GetBytes(text), out long ms));
        long expected = DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        Assert.Equal(expected, ms);
    }

    [Fact]
    public void ReadFile_GzipWithBlankAndBadLines_YieldsGoodRecordsAndCountsBadOnes()
    {
        string path = Path.Combine(Path.GetTempPath(), $"detect-{Guid.NewGuid():N}.jsonl.gz");
        try
        {
            using (var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest))
            using (var w = new StreamWriter(gz))
            {
                w.Write(Line.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal) + "\n\nbroken\n");
                w.Write("""{"ts":"2026-10-05T00:00:07Z","key":"k2","team":"t","request":{}}""");
            }

            var bad = new List<int>();
            var records = DetectionRecordParser.ReadFile(path, bad.Add).ToList();
            Assert.Equal(["k1", "k2"], records.Select(r => r.Key));
            Assert.Equal([3], bad);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
