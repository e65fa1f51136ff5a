// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using Charter.Records;

namespace Charter.Tests.Records;

/// <summary>The journal's binary frames read back to the same event, whatever the text holds; older JSON frames still read.</summary>
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

        var back = JournalEventSerializer.Read(Serialize(e));

        var expected = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text)); // a lone surrogate becomes U+FFFD
        Assert.Equal(expected, back.Rule);
        Assert.Equal(expected, back.Detail);
        Assert.Equal(-7, back.Status);
        Assert.Equal(0.5, back.LatencyMs);
    }

    [Theory]
    [InlineData("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", 33)] // a SHA-256 in hex: its 32 bytes
    [InlineData("9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08", 66)] // upper case would not read back (2-byte length)
    [InlineData("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0g", 66)] // not hex
    [InlineData("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0", 64)] // 63 digits
    public void Write_MessagesHash_StoredAsBytesOnlyWhenItReadsBackTheSame(string hash, int stored)
    {
        var bare = new JournalEvent { Kind = "request", Id = "r", Ts = DateTimeOffset.UnixEpoch };
        var e = new JournalEvent { Kind = "request", Id = "r", Ts = DateTimeOffset.UnixEpoch, MessagesSha256 = hash };

        var bytes = Serialize(e);

        Assert.Equal(stored, bytes.Length - Serialize(bare).Length);
        Assert.Equal(hash, JournalEventSerializer.Read(bytes).MessagesSha256);
    }

    [Fact]
    public void Write_NumbersAtTheirLimits_RoundTrip()
    {
        foreach (var (status, cost) in new[] { (int.MinValue, long.MinValue), (int.MaxValue, long.MaxValue), (0, 0L), (-1, -1L), (127, 128L) })
        {
            var e = new JournalEvent { Kind = "completion", Id = "r", Ts = DateTimeOffset.MaxValue, Status = status, CostNanos = cost };

            var back = JournalEventSerializer.Read(Serialize(e));

            Assert.Equal((status, cost, DateTimeOffset.MaxValue), (back.Status!.Value, back.CostNanos!.Value, back.Ts));
        }
    }

    [Fact]
    public void Read_JsonFrameOfAnOlderBuild_ReadsEveryMember()
    {
        var json = """
            {"kind":"request","id":"req_1","ts":"2026-11-27T10:11:12.1234567Z","key":"key_1","team":"team_1","provider":"sim",
             "account":"sim","model":"gpt-4o-mini","purpose":"testing","endpoint":"chat.completions","decision":"allow",
             "policy_version":"none","messages_sha256":"ab","stream":true,"status":200,"prompt_tokens":3,"latency_ms":1.5,
             "cost_nanos":42,"body":{"model":"gpt-4o-mini","messages":[]}}
            """;

        var back = JournalEventSerializer.Read(Encoding.UTF8.GetBytes(json));

        Assert.Equal(("request", "req_1", "key_1", "team_1", "sim", "gpt-4o-mini", "testing"), (back.Kind, back.Id, back.Key, back.Team, back.Provider, back.Model, back.Purpose));
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 10, 11, 12, TimeSpan.Zero).AddTicks(1_234_567), back.Ts);
        Assert.Equal((true, 200, 3, 1.5, 42L), (back.Stream, back.Status!.Value, back.PromptTokens!.Value, back.LatencyMs!.Value, back.CostNanos!.Value));
        Assert.Null(back.CompletionTokens);
        Assert.Equal("""{"model":"gpt-4o-mini","messages":[]}""", Encoding.UTF8.GetString(back.Body.Span));
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
            CompletionTokens = 34, CachedTokens = 5, Estimated = true, LatencyMs = 1.23456, FirstTokenMs = 0.98765, CostNanos = 8_400_000_000_000L, ResponseId = "resp_0123",
            Actor = "admin", EntityType = "key", EntityId = "key_1", Reason = "why", Detail = "what",
            Body = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi \"there\""}]}"""u8.ToArray(),
            MessagesStart = 34, MessagesLength = 42,
        };

        var back = JournalEventSerializer.Read(Serialize(e));

        Assert.Equal(ts, back.Ts); // every tick
        Assert.Equal(1.235, back.LatencyMs);
        Assert.Equal(0.988, back.FirstTokenMs);
        Assert.Equal("resp_0123", back.ResponseId);
        Assert.Equal(8_400_000_000_000L, back.CostNanos);
        Assert.Equal(
            (e.Kind, e.Id, e.Key, e.Team, e.Provider, e.Account, e.Model, e.Purpose, e.Endpoint, e.Decision, e.Rule, e.Code),
            (back.Kind, back.Id, back.Key, back.Team, back.Provider, back.Account, back.Model, back.Purpose, back.Endpoint, back.Decision, back.Rule, back.Code));
        Assert.Equal(
            (e.PolicyVersion, e.MessagesSha256, e.EvalRun, e.Stream, e.Status, e.PromptTokens, e.CompletionTokens, e.CachedTokens, e.Estimated),
            (back.PolicyVersion, back.MessagesSha256, back.EvalRun, back.Stream, back.Status, back.PromptTokens, back.CompletionTokens, back.CachedTokens, back.Estimated));
        Assert.Equal((e.Actor, e.EntityType, e.EntityId, e.Reason, e.Detail), (back.Actor, back.EntityType, back.EntityId, back.Reason, back.Detail));
        Assert.Equal(e.Body.ToArray(), back.Body.ToArray());
        Assert.Equal((34, 42), (back.MessagesStart, back.MessagesLength));
        Assert.Equal("[{\"role\":\"user\",\"content\":\"hi \\\"there\\\"\"}]", Encoding.UTF8.GetString(back.Body.Span.Slice(34, 42)));
    }

    [Fact]
    public void Write_NoFirstToken_ReadsNullAndTheBodyWhole()
    {
        var e = new JournalEvent
        {
            Kind = "completion", Id = "req_9", Ts = DateTimeOffset.UnixEpoch, LatencyMs = 2, Body = "{\"a\":1}"u8.ToArray(),
        };

        var back = JournalEventSerializer.Read(Serialize(e));

        Assert.Null(back.FirstTokenMs);
        Assert.Null(back.ResponseId);
        Assert.Equal(2, back.LatencyMs);
        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString(back.Body.Span));
    }

    [Fact]
    public void Write_MessagesDigestInsteadOfItsHex_WritesTheSameFrameAndReadsBackTheHex()
    {
        var digest = System.Security.Cryptography.SHA256.HashData("[]"u8);
        var asHex = Request("req_1");
        asHex.MessagesSha256 = Convert.ToHexStringLower(digest);
        var asBytes = Request("req_1");
        digest.CopyTo((Span<byte>)asBytes.MessagesDigest);
        asBytes.HasMessagesDigest = true;

        var bytes = Serialize(asBytes);

        Assert.Equal(Serialize(asHex), bytes);
        Assert.Equal(asHex.MessagesSha256, JournalEventSerializer.Read(bytes).MessagesSha256);
        asBytes.Clear();
        Assert.Null(JournalEventSerializer.Read(Serialize(asBytes)).MessagesSha256);
    }

    [Theory]
    [InlineData(-1, 0)] // the parser found none
    [InlineData(5, 0)]
    [InlineData(10, 6)] // past the body's end
    [InlineData(17, -1)]
    public void Write_MessagesPlaceNotInTheBody_IsLeftOutAndReadAsUnknown(int start, int length)
    {
        var e = Request("req_1");
        e.MessagesStart = start;
        e.MessagesLength = length;
        var withoutPlace = Request("req_1");

        var bytes = Serialize(e);

        Assert.Equal(Serialize(withoutPlace), bytes);
        var back = JournalEventSerializer.Read(bytes);
        Assert.Equal((-1, 0), (back.MessagesStart, back.MessagesLength));
    }

    [Fact]
    public void Write_AbsentMembers_AreLeftOutAndReadAsNull()
    {
        var e = new JournalEvent { Kind = "completion", Id = "req_1", Ts = DateTimeOffset.UnixEpoch, LatencyMs = double.NaN };

        var bytes = Serialize(e);

        Assert.Equal(1 + 4 + 8 + (1 + "completion".Length) + (1 + "req_1".Length), bytes.Length); // header, kind, id: nothing else
        var back = JournalEventSerializer.Read(bytes);
        Assert.Equal(("completion", "req_1", DateTimeOffset.UnixEpoch), (back.Kind, back.Id, back.Ts));
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

    [Fact]
    public void Read_WithStringCache_SharesEveryStringButTheIdAndSlicesTheBody()
    {
        var cache = new JournalStringCache();
        var frame = new ReadOnlyMemory<byte>(Serialize(Request("req-1")));
        var other = new ReadOnlyMemory<byte>(Serialize(Request("req-2")));

        var a = JournalEventSerializer.Read(frame, cache);
        var b = JournalEventSerializer.Read(other, cache);

        Assert.Equal("req-1", a.Id);
        Assert.Equal("req-2", b.Id);
        Assert.Equal("key_1", a.Key);
        Assert.Same(a.Key, b.Key);
        Assert.Same(a.Model, b.Model);
        Assert.Same(a.Kind, b.Kind);
        Assert.Equal(new string('c', 64), a.PolicyVersion);
        Assert.Same(a.PolicyVersion, b.PolicyVersion);
        Assert.Equal("{\"messages\":[]}", Encoding.UTF8.GetString(a.Body.Span));
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(a.Body, out var segment));
        Assert.Same(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(frame, out var whole) ? whole.Array : null, segment.Array);
    }

    [Fact]
    public void TryReadInto_EventThatHeldAnotherEvent_EveryMemberIsTheNewOnes()
    {
        var full = Serialize(new JournalEvent
        {
            Kind = "request", Id = "req_full", Ts = DateTimeOffset.UtcNow, Key = "key_1", Team = "team_1", Provider = "openai",
            Account = "main", Model = "gpt-4o", Purpose = "testing", Endpoint = "chat.completions", Decision = "allow", Rule = "r1",
            Code = "c1", PolicyVersion = "pv", MessagesSha256 = "ms", EvalRun = "run_1", Stream = true, Status = 200,
            PromptTokens = 1, CompletionTokens = 2, CachedTokens = 3, Estimated = true, LatencyMs = 4, CostNanos = 5, Actor = "a",
            EntityType = "key", EntityId = "key_1", Reason = "why", Detail = "what", Body = "{\"messages\":[]}"u8.ToArray(),
            MessagesStart = 12, MessagesLength = 2,
        });
        var minimal = Serialize(new JournalEvent { Kind = "completion", Id = "req_min", Ts = DateTimeOffset.UnixEpoch });
        var reused = JournalEvent.CreateEmpty();
        Assert.True(JournalEventSerializer.TryReadInto(reused, full, null));
        Assert.Equal((12, 2), (reused.MessagesStart, reused.MessagesLength));
        reused.Position = new JournalPosition(3, 4); // set by the journal's reader, never journaled

        Assert.True(JournalEventSerializer.TryReadInto(reused, minimal, null));

        AssertSameMembers(JournalEventSerializer.Read(minimal), reused);
    }

    [Fact]
    public void TryReadInto_JsonFrameOfAnOlderBuild_ReturnsFalseAndLeavesTheEvent()
    {
        var reused = JournalEvent.CreateEmpty();
        reused.Model = "kept";

        Assert.False(JournalEventSerializer.TryReadInto(reused, """{"kind":"request","id":"req_1"}"""u8.ToArray(), null));
        Assert.Equal("kept", reused.Model);
    }

    [Fact]
    public void Clear_EveryMemberSet_EqualsAnEmptyEvent()
    {
        var e = JournalEvent.CreateEmpty();
        foreach (var p in Members())
        {
            p.SetValue(e, NonDefault(p.PropertyType));
            Assert.NotEqual(Describe(p.GetValue(JournalEvent.CreateEmpty())), Describe(p.GetValue(e)));
        }

        e.Clear();

        AssertSameMembers(JournalEvent.CreateEmpty(), e);
    }

    [Fact]
    public void Detach_EventClearedAfterwards_CopyKeepsEveryMemberAndItsOwnBody()
    {
        var bodyBuffer = "{\"messages\":[]}"u8.ToArray();
        var e = Request("req-1");
        e.Body = bodyBuffer;
        e.Status = 200;

        var copy = e.Detach();
        var expected = JournalEventSerializer.Read(Serialize(e));
        bodyBuffer.AsSpan().Clear(); // the journal's segment goes
        e.Clear(); // and the batch reuses the event

        Assert.Equal("req-1", copy.Id);
        Assert.Equal(200, copy.Status);
        Assert.Equal(expected.PolicyVersion, copy.PolicyVersion);
        Assert.Equal("{\"messages\":[]}", Encoding.UTF8.GetString(copy.Body.Span));
    }

    // Every public member of an event: a member added later is covered by the tests above without changing them.
    private static System.Reflection.PropertyInfo[] Members() =>
        typeof(JournalEvent).GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance);

    private static void AssertSameMembers(JournalEvent expected, JournalEvent actual)
    {
        foreach (var p in Members())
        {
            Assert.True(Describe(p.GetValue(expected)) == Describe(p.GetValue(actual)),
                $"{p.Name}: expected {Describe(p.GetValue(expected))}, got {Describe(p.GetValue(actual))}");
        }
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        ReadOnlyMemory<byte> m => "bytes:" + Convert.ToHexString(m.Span),
        _ => value.ToString() ?? "",
    };

    private static object NonDefault(Type type) => type switch
    {
        _ when type == typeof(string) => "x",
        _ when type == typeof(DateTimeOffset) => new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        _ when type == typeof(bool) => true,
        _ when type == typeof(int) || type == typeof(int?) => 7,
        _ when type == typeof(long?) => 8L,
        _ when type == typeof(double?) => 9.5,
        _ when type == typeof(ReadOnlyMemory<byte>) => new ReadOnlyMemory<byte>([1, 2]),
        _ when type == typeof(JournalPosition) => new JournalPosition(5, 6),
        _ => throw new NotSupportedException($"Give the test a value for {type}."),
    };

    private static JournalEvent Request(string id) => new()
    {
        Kind = "request",
        Id = id,
        Ts = DateTimeOffset.UnixEpoch,
        Key = "key_1",
        Model = "gpt-4o-mini",
        PolicyVersion = new string('c', 64),
        Body = Encoding.UTF8.GetBytes("{\"messages\":[]}"),
    };

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
