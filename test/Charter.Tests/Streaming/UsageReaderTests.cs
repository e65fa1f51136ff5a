// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text;
using Charter.Streaming;

namespace Charter.Tests.Streaming;

public sealed class UsageReaderTests
{
    [Fact]
    public void TryRead_CompletionWithUsageLast_ReadsTheCounts()
    {
        var json = """{"id":"c1","choices":[{"index":0,"message":{"role":"assistant","content":"hi"}}],"usage":{"prompt_tokens":12,"completion_tokens":11,"total_tokens":23,"prompt_tokens_details":{"cached_tokens":4}}}"""u8;

        Assert.True(UsageReader.TryRead(json, out var usage));

        Assert.True(usage.Present);
        Assert.Equal(12, usage.PromptTokens);
        Assert.Equal(11, usage.CompletionTokens);
        Assert.Equal(4, usage.CachedTokens);
    }

    [Fact]
    public void TryRead_UsageFollowedByOtherMembers_ReadsIt()
    {
        var json = """{"usage" : { "input_tokens" : 3, "output_tokens" : 5 } , "id":"c1","choices":[]}"""u8;

        Assert.True(UsageReader.TryRead(json, out var usage));

        Assert.Equal(3, usage.PromptTokens);
        Assert.Equal(5, usage.CompletionTokens);
    }

    [Theory]
    [InlineData("""{"id":"c1","x":{"usage":{"prompt_tokens":1,"completion_tokens":2}}}""")]
    [InlineData("""{"id":"c1","choices":[{"delta":{"content":"usage"}}]}""")]
    [InlineData("""{"id":"c1","usage":null}""")]
    [InlineData("""{"id":"c1","usage" : null }""")]
    [InlineData("""{"id":"c1","x":{"usage":null}}""")]
    [InlineData("""{"choices":[{"message":{"content":"say \"usage\":{\"prompt_tokens\":9}"}}]}""")]
    [InlineData("""{"x\"usage":{"prompt_tokens":9,"completion_tokens":9}}""")]
    [InlineData("""{"x":{"usage":{"prompt_tokens":9},"service_tier":"default"}}""")]
    [InlineData("""{"x":{"usage":{"prompt_tokens":9},"n":1},"y":2}""")]
    [InlineData("""{"id":"c1","usage":null,"obfuscation":"a\"b\\"}""")]
    [InlineData("""[{"usage":{"prompt_tokens":1}}]""")]
    [InlineData("""{"usage":{"prompt_tokens":1""")]
    public void TryRead_NoTopLevelUsageObject_ReturnsFalse(string json)
    {
        Assert.False(UsageReader.TryRead(Encoding.UTF8.GetBytes(json), out var usage));

        Assert.False(usage.Present);
    }

    [Fact]
    public void TryRead_TopLevelUsageBeforeANestedOneAtTheEnd_ReadsTheTopLevelOne()
    {
        var json = """{"usage":{"prompt_tokens":7,"completion_tokens":8},"x_groq":{"usage":{"prompt_tokens":1,"completion_tokens":2}}}"""u8;

        Assert.True(UsageReader.TryRead(json, out var usage));

        Assert.Equal(7, usage.PromptTokens);
        Assert.Equal(8, usage.CompletionTokens);
    }

    [Fact]
    public void TryRead_TopLevelUsageBeforeANestedNullAtTheEnd_ReadsTheTopLevelOne()
    {
        var json = """{"usage":{"prompt_tokens":7,"completion_tokens":8},"x":{"usage":null}}"""u8;

        Assert.True(UsageReader.TryRead(json, out var usage));

        Assert.Equal(7, usage.PromptTokens);
    }

    [Theory]
    [InlineData(""","service_tier":"default","system_fingerprint":"fp_1"}""")]
    [InlineData(""" , "obfuscation" : "x\"}\\" , "n" : -1.5e3 , "ok" : true , "no" : null }""")]
    [InlineData(""","later":{"a":1}}""")]
    [InlineData(""","later":[1,{"usage":{"prompt_tokens":1}}]}""")]
    public void TryRead_UsageFollowedByMoreMembers_ReadsTheTopLevelUsage(string tail)
    {
        var json = Encoding.UTF8.GetBytes("""{"id":"c1","choices":[],"usage":{"prompt_tokens":4,"completion_tokens":6}""" + tail);

        Assert.True(UsageReader.TryRead(json, out var usage));

        Assert.Equal(4, usage.PromptTokens);
        Assert.Equal(6, usage.CompletionTokens);
    }

    [Fact]
    public void TryRead_StreamChunkWithTrailingNewline_ReadsTheCounts()
    {
        var json = "{\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":30}}\n"u8;

        Assert.True(UsageReader.TryRead(json, out var usage));

        Assert.Equal(2, usage.PromptTokens);
        Assert.Equal(30, usage.CompletionTokens);
    }
}
