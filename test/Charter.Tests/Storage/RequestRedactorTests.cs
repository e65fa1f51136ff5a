// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using Charter.Forwarding;
using Charter.Storage;

namespace Charter.Tests.Storage;

public sealed class RequestRedactorTests
{
    private const string Sha = "fb9c76c95ea0ac08146a58e1d22efa47ca5d0baaa469a652701efddc1ef8c397";

    [Theory]
    [InlineData("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"héllo \"x\""}],"max_tokens":32}""", "chat.completions",
        """{"model":"gpt-4o-mini","messages":"sha256:fb9c76c95ea0ac08146a58e1d22efa47ca5d0baaa469a652701efddc1ef8c397","max_tokens":32}""")]
    [InlineData("""{"messages":[{"role":"user","content":"a"}],"model":"m"}""", "chat.completions",
        """{"messages":"sha256:fb9c76c95ea0ac08146a58e1d22efa47ca5d0baaa469a652701efddc1ef8c397","model":"m"}""")]
    [InlineData("""{"model":"text-embedding-3-small","input":["ünïcode",  "b"]}""", "embeddings",
        """{"model":"text-embedding-3-small","input":"sha256:fb9c76c95ea0ac08146a58e1d22efa47ca5d0baaa469a652701efddc1ef8c397"}""")]
    public void Redact_KnownOrParsedMessagesPlace_ReplacesThemByTheirHash(string body, string endpoint, string expected)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var parse = endpoint == "embeddings" ? RequestParser.ParseEmbeddings(bytes, out var parsed) : RequestParser.ParseChat(bytes, out parsed);
        Assert.True(parse.Success);

        // Parsed again by the redactor (after a journal replay) and with the place the gateway found: the same text.
        Assert.Equal(expected, RequestRedactor.Redact(bytes, endpoint, Sha, retainContent: false));
        Assert.Equal(expected, RequestRedactor.Redact(bytes, endpoint, Sha, retainContent: false, parsed.MessagesStart, parsed.MessagesLength));
        Assert.Equal(expected, RedactUtf8(bytes, endpoint, retainContent: false, parsed.MessagesStart, parsed.MessagesLength));
    }

    [Fact]
    public void Redact_RetainContent_ReturnsTheBodyAsItIs()
    {
        const string body = """{"model":"m","messages":[{"role":"user","content":"keep me"}]}""";
        Assert.Equal(body, RequestRedactor.Redact(Encoding.UTF8.GetBytes(body), "chat.completions", Sha, retainContent: true, 10, 5));
    }

    [Theory]
    [InlineData("""{"model":"m","messages":""")]
    [InlineData("""not json""")]
    public void Redact_UnparsableBody_StoresOnlyARedactedMarker(string body)
    {
        Assert.Equal("""{"redacted":true}""", RequestRedactor.Redact(Encoding.UTF8.GetBytes(body), "chat.completions", Sha, retainContent: false));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RedactUtf8_BytesThatAreNotUtf8_ComeOutReplacedLikeTheStringForm(bool retainContent)
    {
        // {"model":"m\xFF","messages":[...],"user":"\xC3"}: invalid bytes in the head and in the tail.
        var body = Encoding.UTF8.GetBytes("""{"model":"m?","messages":[{"role":"user","content":"x"}],"user":"?"}""");
        body[11] = 0xFF;
        body[^3] = 0xC3;
        Assert.False(RequestParser.ParseChat(body, out _).Success); // the gateway refuses such a body; a record may still hold one
        var start = Encoding.UTF8.GetString(body).IndexOf("[{", StringComparison.Ordinal);
        var length = Encoding.UTF8.GetString(body).IndexOf("}]", StringComparison.Ordinal) + 2 - start;

        var text = RedactUtf8(body, "chat.completions", retainContent, start, length);

        Assert.Equal(RequestRedactor.Redact(body, "chat.completions", Sha, retainContent, start, length), text);
        Assert.Equal(2, text.Count(c => c == '\uFFFD'));
        Assert.Equal(retainContent, text.Contains("content", StringComparison.Ordinal));
    }

    [Fact]
    public void Redact_PlaceOutsideTheBody_ParsesInstead()
    {
        const string body = """{"model":"m","messages":[{"role":"user","content":"x"}]}""";
        Assert.Equal("""{"model":"m","messages":"sha256:fb9c76c95ea0ac08146a58e1d22efa47ca5d0baaa469a652701efddc1ef8c397"}""",
            RequestRedactor.Redact(Encoding.UTF8.GetBytes(body), "chat.completions", Sha, retainContent: false, 40, 500));
    }

    [Theory]
    [InlineData(25, 29)] // an object inside the messages
    [InlineData(24, 30)] // the array's start, not its end
    [InlineData(1, 7)] // a string, but the name "model", not a value
    [InlineData(9, 3)] // a string value, but the model's
    [InlineData(33, 6)] // a string value inside the messages
    public void Redact_PlaceThatIsNotTheMessagesValue_ParsesInstead(int start, int length)
    {
        const string body = """{"model":"m","messages":[{"role":"user","content":"x"}]}""";

        var text = RequestRedactor.Redact(Encoding.UTF8.GetBytes(body), "chat.completions", Sha, retainContent: false, start, length);

        Assert.Equal("""{"model":"m","messages":"sha256:fb9c76c95ea0ac08146a58e1d22efa47ca5d0baaa469a652701efddc1ef8c397"}""", text);
    }

    [Theory]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}]}""", false, Sha, true)]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}]}""", true, Sha, false)] // the messages themselves
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}]}""", false, null, false)] // no hash to write
    [InlineData("""not json""", false, Sha, false)] // {"redacted":true}
    public void Redact_EachOutcome_SaysWhetherTheTextHoldsTheHash(string body, bool retainContent, string? sha, bool expected)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var output = new ArrayBufferWriter<byte>();

        var text = RequestRedactor.Redact(bytes, "chat.completions", sha, retainContent, out var hashInBody);
        var inUtf8 = RequestRedactor.RedactUtf8(bytes, "chat.completions", sha, retainContent, output);

        Assert.Equal((expected, expected), (hashInBody, inUtf8));
        Assert.Equal(expected, sha is not null && text.Contains("\"sha256:" + sha + "\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"model":"m","instructions":"You are a \"pirate\".","input":[{"role":"user","content":"secret"}],"store":false}""",
        """{"model":"m","instructions":"sha256:INS","input":"sha256:fb9c76c95ea0ac08146a58e1d22efa47ca5d0baaa469a652701efddc1ef8c397","store":false}""")]
    [InlineData("""{"model":"m","input":"secret","instructions":"You are a \"pirate\"."}""",
        """{"model":"m","input":"sha256:fb9c76c95ea0ac08146a58e1d22efa47ca5d0baaa469a652701efddc1ef8c397","instructions":"sha256:INS"}""")]
    [InlineData("""{"model":"m","input":"secret","instructions":null}""",
        """{"model":"m","input":"sha256:fb9c76c95ea0ac08146a58e1d22efa47ca5d0baaa469a652701efddc1ef8c397","instructions":null}""")]
    public void Redact_ResponsesBody_ReplacesInputAndInstructionsByTheirHashes(string body, string expected)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        Assert.True(RequestParser.ParseResponses(bytes, out var parsed).Success);
        // The instructions' hash is SHA-256 of their JSON string as sent (quotes and escapes included), like the messages'.
        var instructions = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes("\"You are a \\\"pirate\\\".\"")));
        expected = expected.Replace("INS", instructions, StringComparison.Ordinal);

        Assert.Equal(expected, RequestRedactor.Redact(bytes, "responses", Sha, retainContent: false));
        Assert.Equal(expected, RequestRedactor.Redact(bytes, "responses", Sha, retainContent: false, parsed.MessagesStart, parsed.MessagesLength));
        Assert.DoesNotContain("pirate", RedactUtf8(bytes, "responses", retainContent: false, parsed.MessagesStart, parsed.MessagesLength), StringComparison.Ordinal);
        Assert.Equal(body, RequestRedactor.Redact(bytes, "responses", Sha, retainContent: true));
    }

    [Theory]
    [InlineData("""{"model":"m","prompt":"secret","suffix":"after \"it\"","max_tokens":5}""",
        """{"model":"m","prompt":"sha256:fb9c76c95ea0ac08146a58e1d22efa47ca5d0baaa469a652701efddc1ef8c397","suffix":"sha256:SUF","max_tokens":5}""")]
    [InlineData("""{"suffix":"after \"it\"","model":"m","prompt":["secret","other"]}""",
        """{"suffix":"sha256:SUF","model":"m","prompt":"sha256:fb9c76c95ea0ac08146a58e1d22efa47ca5d0baaa469a652701efddc1ef8c397"}""")]
    [InlineData("""{"model":"m","prompt":[[1,2,3]],"echo":true}""",
        """{"model":"m","prompt":"sha256:fb9c76c95ea0ac08146a58e1d22efa47ca5d0baaa469a652701efddc1ef8c397","echo":true}""")]
    public void Redact_CompletionsBody_ReplacesPromptAndSuffixByTheirHashes(string body, string expected)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        Assert.True(RequestParser.ParseCompletions(bytes, out var parsed).Success);
        var suffix = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes("\"after \\\"it\\\"\"")));
        expected = expected.Replace("SUF", suffix, StringComparison.Ordinal);

        Assert.Equal(expected, RequestRedactor.Redact(bytes, "completions", Sha, retainContent: false));
        Assert.Equal(expected, RequestRedactor.Redact(bytes, "completions", Sha, retainContent: false, parsed.MessagesStart, parsed.MessagesLength));
        Assert.DoesNotContain("secret", RedactUtf8(bytes, "completions", retainContent: false, parsed.MessagesStart, parsed.MessagesLength), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model":"m","max_tokens":8,"system":"You are a \"pirate\".","messages":[{"role":"user","content":"secret"}]}""",
        """{"model":"m","max_tokens":8,"system":"sha256:SYS","messages":"sha256:fb9c76c95ea0ac08146a58e1d22efa47ca5d0baaa469a652701efddc1ef8c397"}""", "\"You are a \\\"pirate\\\".\"")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"secret"}],"system":[{"type":"text","text":"pirate"}],"max_tokens":8}""",
        """{"model":"m","messages":"sha256:fb9c76c95ea0ac08146a58e1d22efa47ca5d0baaa469a652701efddc1ef8c397","system":"sha256:SYS","max_tokens":8}""", "[{\"type\":\"text\",\"text\":\"pirate\"}]")]
    public void Redact_MessagesBody_ReplacesMessagesAndTheSystemPromptByTheirHashes(string body, string expected, string systemJson)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        Assert.True(RequestParser.ParseMessages(bytes, out var parsed).Success);
        var system = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(systemJson)));
        expected = expected.Replace("SYS", system, StringComparison.Ordinal);

        Assert.Equal(expected, RequestRedactor.Redact(bytes, "messages", Sha, retainContent: false));
        Assert.Equal(expected, RequestRedactor.Redact(bytes, "messages", Sha, retainContent: false, parsed.MessagesStart, parsed.MessagesLength));
        Assert.DoesNotContain("pirate", RedactUtf8(bytes, "messages", retainContent: false, parsed.MessagesStart, parsed.MessagesLength), StringComparison.Ordinal);
    }

    [Fact]
    public void Redact_InstructionsInAChatBody_LeftAlone()
    {
        // Only a Responses body has instructions; in another endpoint's body the member is the upstream's business.
        const string body = """{"model":"m","instructions":"x","messages":[{"role":"user","content":"a"}]}""";
        Assert.Contains("\"instructions\":\"x\"", RequestRedactor.Redact(Encoding.UTF8.GetBytes(body), "chat.completions", Sha, retainContent: false), StringComparison.Ordinal);
    }

    private static string RedactUtf8(byte[] body, string endpoint, bool retainContent, int start, int length)
    {
        var output = new ArrayBufferWriter<byte>();
        output.Write("stale"u8); // the caller resets between records; what follows must not depend on it
        output.ResetWrittenCount();
        RequestRedactor.RedactUtf8(body, endpoint, Sha, retainContent, output, start, length);
        Assert.True(System.Text.Unicode.Utf8.IsValid(output.WrittenSpan));
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
