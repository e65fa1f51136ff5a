// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text;
using Charter.Audit;
using Charter.Audit.Json;

namespace Charter.Tests.Audit;

public sealed class CanonicalJsonTests
{
    [Fact]
    public void Canonicalize_Rfc8785MainExample_MatchesSpec()
    {
        // RFC 8785 §3.2.2.
        var input = """
            {
              "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """;
        var expected = "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";

        var output = Encoding.UTF8.GetString(CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(input)));

        Assert.Equal(expected, output);
    }

    [Fact]
    public void Canonicalize_Rfc8785SortingExample_SortsByUtf16CodeUnits()
    {
        // RFC 8785 §3.2.3.
        var input = """
            {
              "\u20ac": "Euro Sign",
              "\r": "Carriage Return",
              "\ufb33": "Hebrew Letter Dalet With Dagesh",
              "1": "One",
              "\ud83d\ude00": "Emoji: Grinning Face",
              "\u0080": "Control",
              "\u00f6": "Latin Small Letter O With Diaeresis"
            }
            """;
        var expected = "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\","
            + "\"\u20ac\":\"Euro Sign\",\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}";

        var output = Encoding.UTF8.GetString(CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(input)));

        Assert.Equal(expected, output);
    }

    [Theory]
    [InlineData(0x0000000000000000UL, "0")]
    [InlineData(0x8000000000000000UL, "0")]
    [InlineData(0x0000000000000001UL, "5e-324")]
    [InlineData(0x8000000000000001UL, "-5e-324")]
    [InlineData(0x7fefffffffffffffUL, "1.7976931348623157e+308")]
    [InlineData(0xffefffffffffffffUL, "-1.7976931348623157e+308")]
    [InlineData(0x4340000000000000UL, "9007199254740992")]
    [InlineData(0xc340000000000000UL, "-9007199254740992")]
    [InlineData(0x4430000000000000UL, "295147905179352830000")]
    [InlineData(0x44b52d02c7e14af5UL, "9.999999999999997e+22")]
    [InlineData(0x44b52d02c7e14af6UL, "1e+23")]
    [InlineData(0x44b52d02c7e14af7UL, "1.0000000000000001e+23")]
    [InlineData(0x444b1ae4d6e2ef4eUL, "999999999999999700000")]
    [InlineData(0x444b1ae4d6e2ef4fUL, "999999999999999900000")]
    [InlineData(0x444b1ae4d6e2ef50UL, "1e+21")]
    [InlineData(0x3eb0c6f7a0b5ed8cUL, "9.999999999999997e-7")]
    [InlineData(0x3eb0c6f7a0b5ed8dUL, "0.000001")]
    [InlineData(0x41b3de4355555553UL, "333333333.3333332")]
    [InlineData(0x41b3de4355555554UL, "333333333.33333325")]
    [InlineData(0x41b3de4355555555UL, "333333333.3333333")]
    [InlineData(0x41b3de4355555556UL, "333333333.3333334")]
    [InlineData(0x41b3de4355555557UL, "333333333.33333343")]
    [InlineData(0xbecbf647612f3696UL, "-0.0000033333333333333333")]
    [InlineData(0x43143ff3c1cb0959UL, "1424953923781206.2")]
    public void FormatNumber_Rfc8785AppendixB_MatchesEcmaScript(ulong bits, string expected)
    {
        Assert.Equal(expected, CanonicalJsonWriter.FormatNumber(BitConverter.UInt64BitsToDouble(bits)));
    }

    [Fact]
    public void Canonicalize_DuplicateMember_Throws()
    {
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => CanonicalJson.Canonicalize("{\"a\":1,\"a\":2}"u8));
    }

    [Fact]
    public void WriteString_ControlCharacters_UseLowercaseUnicodeEscapes()
    {
        var writer = new CanonicalJsonWriter();
        writer.WriteStringValue("\u0001\u001f\u007f\t/");

        Assert.Equal("\"\\u0001\\u001f\u007f\\t/\"", Encoding.UTF8.GetString(writer.WrittenSpan));
    }

    [Fact]
    public void Serialize_Event_IsItsOwnCanonicalFormAndOmitsNulls()
    {
        var e = SampleEvent();

        var bytes = AuditEventSerializer.Serialize(e);

        Assert.Equal(bytes, CanonicalJson.Canonicalize(bytes));
        var text = Encoding.UTF8.GetString(bytes);
        Assert.StartsWith("{\"decision\":\"deny\",\"id\":\"ev-1\",\"key\":\"k1\",\"kind\":\"request\",\"measures\":[\"a\",\"b\"]", text, StringComparison.Ordinal);
        Assert.DoesNotContain("null", text, StringComparison.Ordinal);
        Assert.DoesNotContain("team", text, StringComparison.Ordinal);
        Assert.Contains("\"ts\":\"2026-10-05T00:00:06.009Z\"", text, StringComparison.Ordinal);
        Assert.Contains("\"usage\":{\"completion_tokens\":7,\"estimated\":true,\"prompt_tokens\":5}", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_EveryMemberSet_IsItsOwnCanonicalFormWithEveryMemberOnce()
    {
        var e = new AuditEvent
        {
            Kind = "lifecycle", Ts = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero), Id = "ev-\u00e9\"2\"",
            RequestId = "req_1", Key = "k", Team = "t", Purpose = "evaluation", Provider = "openai", Account = "main",
            Model = "gpt-4o", Decision = "flag", Rule = "r\\1", Code = "c", PolicyVersion = "pv", MessagesSha256 = "ms",
            Usage = new AuditUsage(1, 2, false), Status = 429, EvalRun = "run", EntityType = "key", EntityId = "key_1",
            FromState = "active", ToState = "suspended", Event = "suspend", Actor = "admin:ops", Reason = "why\n",
            Measures = ["m1"], Deadline = new DateTimeOffset(2026, 2, 3, 4, 5, 6, 7, TimeSpan.Zero), Detail = "d",
        };

        var bytes = AuditEventSerializer.Serialize(e);

        Assert.Equal(bytes, CanonicalJson.Canonicalize(bytes));
        using var doc = System.Text.Json.JsonDocument.Parse(bytes);
        var names = doc.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(28, names.Count);
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal("2026-01-02T03:04:05.678Z", doc.RootElement.GetProperty("ts").GetString());
        Assert.Equal("2026-02-03T04:05:06.007Z", doc.RootElement.GetProperty("deadline").GetString());
        Assert.Equal(e.Id, doc.RootElement.GetProperty("id").GetString());
        Assert.Equal(e.Reason, doc.RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public void EncodeName_NameNeedingEscapes_WritesTheSameTextAsWritePropertyName()
    {
        var byName = new CanonicalJsonWriter();
        byName.WriteStartObject();
        byName.WritePropertyName("a\"b\u00e9");
        byName.WriteNumberValue(1);
        byName.WritePropertyName("c");
        byName.WriteNumberValue(2);
        byName.WriteEndObject();
        var encoded = new CanonicalJsonWriter();
        encoded.WriteStartObject();
        encoded.WriteEncodedPropertyName(CanonicalJsonWriter.EncodeName("a\"b\u00e9"));
        encoded.WriteNumberValue(1);
        encoded.WriteEncodedPropertyName(CanonicalJsonWriter.EncodeName("c"));
        encoded.WriteNumberValue(2);
        encoded.WriteEndObject();

        Assert.Equal(Encoding.UTF8.GetString(byName.WrittenSpan), Encoding.UTF8.GetString(encoded.WrittenSpan));
        Assert.Equal("{\"a\\\"b\u00e9\":1,\"c\":2}", Encoding.UTF8.GetString(encoded.WrittenSpan));
    }

    [Fact]
    public void Deserialize_SerializedEvent_RoundTrips()
    {
        var e = SampleEvent() with { Team = "t\u00e9am \"x\"", Deadline = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), Status = 403 };

        var back = AuditEventSerializer.Deserialize(AuditEventSerializer.Serialize(e));

        Assert.NotNull(back);
        Assert.Equal(AuditEventSerializer.Serialize(e), AuditEventSerializer.Serialize(back));
        Assert.Equal(e.Team, back.Team);
        Assert.Equal(e.Deadline, back.Deadline);
        Assert.Equal(e.Usage, back.Usage);
    }

    [Fact]
    public void Deserialize_NotAnEvent_ReturnsNull()
    {
        Assert.Null(AuditEventSerializer.Deserialize("[1,2]"u8));
        Assert.Null(AuditEventSerializer.Deserialize("{\"kind\":\"x\"}"u8));
        Assert.Null(AuditEventSerializer.Deserialize("not json"u8));
    }

    internal static AuditEvent SampleEvent() => new()
    {
        Kind = AuditEventKinds.Request,
        Ts = new DateTimeOffset(2026, 10, 5, 0, 0, 6, 9, TimeSpan.Zero),
        Id = "ev-1",
        Key = "k1",
        Decision = "deny",
        Rule = "no-distillation",
        Measures = ["a", "b"],
        Usage = new AuditUsage(5, 7, true),
    };
}
