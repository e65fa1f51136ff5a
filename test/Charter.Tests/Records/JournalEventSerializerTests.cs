// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using System.Text.Json;
using Charter.Records;

namespace Charter.Tests.Records;

/// <summary>The journal's hand-written JSON: valid JSON that reads back to the same event, whatever the text holds.</summary>
public sealed class JournalEventSerializerTests
{
    public static TheoryData<string> Texts => new()
    {
        "plain-ascii_0123",
        "",
        "quote \" and backslash \\ inside",
        "control \n\r\t\u0001\u001f end",
        "ünïcödé and 日本語",
        "emoji 😀 pair",
        "lone \ud800 high and \udc00 low",
        "del \u007f and <html> & 'single' +plus",
        "\"\\\"\\",
        new string('x', 5000) + "\u00e9",
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void Write_AnyText_ReadsBackTheSameText(string text)
    {
        var e = Event(text);

        var bytes = Serialize(e);
        using var doc = JsonDocument.Parse(bytes); // valid JSON or it throws
        var back = JournalEventSerializer.Read(bytes);

        var expected = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text)); // a lone surrogate becomes U+FFFD
        Assert.Equal(expected, back.Rule);
        Assert.Equal(expected, back.Detail);
        Assert.Equal(expected, doc.RootElement.GetProperty("rule").GetString());
    }

    [Fact]
    public void Write_EveryMember_RoundTripsThroughRead()
    {
        var ts = new DateTimeOffset(2026, 11, 28, 3, 4, 5, TimeSpan.Zero).AddTicks(1_234_567);
        var e = new JournalEvent
        {
            Kind = "request", Id = "req_0123", Ts = ts, Key = "key_1", Team = "team_1", Provider = "openai", Account = "main",
            Model = "gpt-4o-mini", Purpose = "testing", Endpoint = "chat.completions", Decision = "allow", Rule = "r1", Code = "c1",
            PolicyVersion = "pv", MessagesSha256 = "ms", EvalRun = "run_1", Stream = true, Status = 200, PromptTokens = 12,
            CompletionTokens = 34, CachedTokens = 5, Estimated = true, LatencyMs = 1.23456, CostNanos = 8_400_000_000_000L,
            Actor = "admin", EntityType = "key", EntityId = "key_1", Reason = "why", Detail = "what",
            Body = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi \"there\""}]}"""u8.ToArray(),
        };

        var back = JournalEventSerializer.Read(Serialize(e));

        Assert.Equal(ts, back.Ts); // every tick
        Assert.Equal(1.235, back.LatencyMs);
        Assert.Equal(8_400_000_000_000L, back.CostNanos);
        Assert.Equal(
            (e.Kind, e.Id, e.Key, e.Team, e.Provider, e.Account, e.Model, e.Purpose, e.Endpoint, e.Decision, e.Rule, e.Code),
            (back.Kind, back.Id, back.Key, back.Team, back.Provider, back.Account, back.Model, back.Purpose, back.Endpoint, back.Decision, back.Rule, back.Code));
        Assert.Equal(
            (e.PolicyVersion, e.MessagesSha256, e.EvalRun, e.Stream, e.Status, e.PromptTokens, e.CompletionTokens, e.CachedTokens, e.Estimated),
            (back.PolicyVersion, back.MessagesSha256, back.EvalRun, back.Stream, back.Status, back.PromptTokens, back.CompletionTokens, back.CachedTokens, back.Estimated));
        Assert.Equal((e.Actor, e.EntityType, e.EntityId, e.Reason, e.Detail), (back.Actor, back.EntityType, back.EntityId, back.Reason, back.Detail));
        Assert.Equal(e.Body.ToArray(), back.Body.ToArray());
    }

    [Fact]
    public void Write_AbsentMembers_AreLeftOutAndReadAsNull()
    {
        var e = new JournalEvent { Kind = "completion", Id = "req_1", Ts = DateTimeOffset.UnixEpoch, LatencyMs = double.NaN };

        var json = Encoding.UTF8.GetString(Serialize(e));

        Assert.Equal("""{"kind":"completion","id":"req_1","ts":"1970-01-01T00:00:00.0000000Z"}""", json);
        var back = JournalEventSerializer.Read(Encoding.UTF8.GetBytes(json));
        Assert.Null(back.Key);
        Assert.Null(back.Status);
        Assert.Null(back.LatencyMs);
        Assert.True(back.Body.IsEmpty);
    }

    [Fact]
    public void Write_TwoEventsIntoOneBuffer_AppendsEachAfterTheOther()
    {
        var output = new ArrayBufferWriter<byte>(16); // small: the writer must ask for room as it goes
        JournalEventSerializer.Write(Event("a"), output);
        var first = output.WrittenCount;
        JournalEventSerializer.Write(Event("b"), output);

        Assert.Equal("a", JournalEventSerializer.Read(output.WrittenSpan[..first]).Rule);
        Assert.Equal("b", JournalEventSerializer.Read(output.WrittenSpan[first..]).Rule);
    }

    private static JournalEvent Event(string text) => new()
    {
        Kind = "admin", Id = "evt_1", Ts = DateTimeOffset.UtcNow, Rule = text, Detail = text, Status = -7, LatencyMs = 0.5,
    };

    private static byte[] Serialize(JournalEvent e)
    {
        var output = new ArrayBufferWriter<byte>();
        JournalEventSerializer.Write(e, output);
        return output.WrittenSpan.ToArray();
    }
}
