// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text;
using Charter.Errors;
using Charter.Forwarding;

namespace Charter.Tests.Forwarding;

/// <summary>The one-pass parser on legacy <c>/v1/completions</c> bodies: what the gateway and its policy read of them.</summary>
public sealed class CompletionsRequestParserTests
{
    [Fact]
    public void ParseCompletions_StringPrompt_ReadsModelPromptAndAllowance()
    {
        const string body = """{"model":"gpt-3.5-turbo-instruct","prompt":"Say this is a test","max_tokens":7,"temperature":0.5,"stream":true}""";

        var result = RequestParser.ParseCompletions(Utf8(body), out var r);

        Assert.True(result.Success, result.Message);
        Assert.Equal("gpt-3.5-turbo-instruct", r.Model);
        Assert.Equal("\"Say this is a test\"", body.Substring(r.MessagesStart, r.MessagesLength));
        Assert.Equal((7, 1, 1), (r.MaxTokens, r.N, r.MessageCount));
        Assert.Equal("Say this is a test".Length, r.PromptChars);
        Assert.Equal(0.5, r.Temperature);
        Assert.True(r.Stream);
        Assert.False(r.Logprobs);
    }

    [Theory]
    [InlineData("""["a","bc","def"]""", 3, 6)]
    [InlineData("""[1,2,3,4]""", 1, 16)]
    [InlineData("""[[1,2],[3]]""", 2, 12)]
    public void ParseCompletions_ArrayPrompt_CountsPromptsAndSize(string prompt, int prompts, int chars)
    {
        var body = "{\"model\":\"m\",\"prompt\":" + prompt + "}";

        var result = RequestParser.ParseCompletions(Utf8(body), out var r);

        Assert.True(result.Success, result.Message);
        Assert.Equal(prompt, body.Substring(r.MessagesStart, r.MessagesLength));
        Assert.Equal((prompts, chars), (r.MessageCount, r.PromptChars));
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("5", 5)]
    public void ParseCompletions_IntegerLogprobs_SeenAsLogprobsWithThatManyAlternatives(string value, int top)
    {
        var result = RequestParser.ParseCompletions(Utf8("{\"model\":\"m\",\"prompt\":\"x\",\"logprobs\":" + value + "}"), out var r);

        Assert.True(result.Success, result.Message);
        Assert.True(r.Logprobs);
        Assert.Equal(top, r.TopLogprobs);
    }

    [Fact]
    public void ParseCompletions_NullLogprobs_NoLogprobs()
    {
        var result = RequestParser.ParseCompletions(Utf8("""{"model":"m","prompt":"x","logprobs":null}"""), out var r);

        Assert.True(result.Success, result.Message);
        Assert.False(r.Logprobs);
    }

    [Theory]
    [InlineData(""","n":2,"best_of":5""", 5)]
    [InlineData(""","best_of":3,"n":4""", 4)]
    [InlineData(""","n":3""", 3)]
    public void ParseCompletions_BestOf_CountsTheLargerOfNAndBestOf(string extra, int n)
    {
        var result = RequestParser.ParseCompletions(Utf8("{\"model\":\"m\",\"prompt\":\"x\"" + extra + "}"), out var r);

        Assert.True(result.Success, result.Message);
        Assert.Equal(n, r.N);
    }

    [Theory]
    [InlineData("", 16)]
    [InlineData(""","max_tokens":0""", 0)]
    [InlineData(""","max_tokens":null""", 16)]
    [InlineData(""","max_tokens":300""", 300)]
    public void ParseCompletions_MaxTokens_AbsentIsTheApiDefaultAndZeroIsAllowed(string extra, int expected)
    {
        var result = RequestParser.ParseCompletions(Utf8("{\"model\":\"m\",\"prompt\":\"x\"" + extra + "}"), out var r);

        Assert.True(result.Success, result.Message);
        Assert.Equal(expected, r.MaxTokens);
    }

    [Fact]
    public void ParseCompletions_MaxTokensZeroOnChat_StillRefused()
    {
        var result = RequestParser.ParseChat(Utf8("""{"model":"m","messages":[{"role":"user","content":"x"}],"max_tokens":0}"""), out _);

        Assert.Equal("max_tokens", result.Param);
    }

    [Theory]
    [InlineData("""{"model":"m"}""", "prompt")]
    [InlineData("""{"prompt":"x"}""", "model")]
    [InlineData("""{"model":"m","prompt":[]}""", "prompt")]
    [InlineData("""{"model":"m","prompt":7}""", "prompt")]
    [InlineData("""{"model":"m","prompt":{"text":"x"}}""", "prompt")]
    [InlineData("""{"model":"m","prompt":["a",1]}""", "prompt[1]")]
    [InlineData("""{"model":"m","prompt":[[1,"a"]]}""", "prompt[0][1]")]
    [InlineData("""{"model":"m","prompt":[[1],[]]}""", "prompt[1]")]
    [InlineData("""{"model":"m","prompt":[null]}""", "prompt[0]")]
    [InlineData("""{"model":"m","prompt":"x","prompt":"y"}""", "prompt")]
    [InlineData("""{"model":"m","prompt":"x","logprobs":6}""", "logprobs")]
    [InlineData("""{"model":"m","prompt":"x","logprobs":true}""", "logprobs")]
    [InlineData("""{"model":"m","prompt":"x","best_of":21}""", "best_of")]
    [InlineData("""{"model":"m","prompt":"x","best_of":"2"}""", "best_of")]
    [InlineData("""{"model":"m","prompt":"x","max_tokens":-1}""", "max_tokens")]
    [InlineData("""{"model":"m","prompt":"x","n":0}""", "n")]
    public void ParseCompletions_InvalidBody_400WithParam(string body, string param)
    {
        var result = RequestParser.ParseCompletions(Utf8(body), out _);

        Assert.False(result.Success);
        Assert.Equal(CharterError.InvalidRequest, result.Error);
        Assert.Equal(param, result.Param);
    }

    [Fact]
    public void ParseCompletions_MessagesMember_NotTakenForThePrompt()
    {
        var result = RequestParser.ParseCompletions(Utf8("""{"model":"m","messages":[{"role":"user","content":"x"}]}"""), out _);

        Assert.Equal("prompt", result.Param);
    }

    [Fact]
    public void ParseFor_CompletionsEndpoint_ParsesAsCompletions()
    {
        var result = RequestParser.ParseFor("completions", Utf8("""{"model":"m","prompt":"hello"}"""), out var r);

        Assert.True(result.Success, result.Message);
        Assert.Equal(16, r.MaxTokens);
    }

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
}
