// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text;
using Charter.Errors;
using Charter.Forwarding;

namespace Charter.Tests.Forwarding;

/// <summary>The one-pass body parser: what it refuses, with which <c>param</c>, and what it still lets through.</summary>
public sealed class RequestParserTests
{
    private const string Message = """{"role":"user","content":"hi"}""";

    [Theory]
    [InlineData("""{"model":"a","model":"b","messages":[MSG]}""", "model")]
    [InlineData("""{"model":"a","messages":[MSG],"messages":[MSG]}""", "messages")]
    [InlineData("""{"model":"a","messages":[MSG],"stream":true,"stream":false}""", "stream")]
    [InlineData("""{"model":"a","messages":[MSG],"stream":true,"stream_options":null,"stream_options":{"include_usage":true}}""", "stream_options")]
    [InlineData("""{"model":"a","messages":[MSG],"stream":true,"stream_options":{"include_usage":false,"include_usage":true}}""", "stream_options.include_usage")]
    [InlineData("""{"model":"a","messages":[MSG],"n":1,"n":8}""", "n")]
    [InlineData("""{"model":"a","messages":[MSG],"max_tokens":1,"max_tokens":9000}""", "max_tokens")]
    [InlineData("""{"model":"a","messages":[MSG],"max_completion_tokens":1,"max_completion_tokens":9000}""", "max_completion_tokens")]
    [InlineData("""{"model":"a","messages":[MSG],"logprobs":false,"logprobs":true}""", "logprobs")]
    [InlineData("""{"model":"a","messages":[MSG],"logprobs":true,"top_logprobs":1,"top_logprobs":20}""", "top_logprobs")]
    [InlineData("""{"model":"a","messages":[MSG],"temperature":0,"temperature":2}""", "temperature")]
    [InlineData("""{"model":"a","messages":[MSG],"logit_bias":{},"logit_bias":{"1":100}}""", "logit_bias")]
    [InlineData("""{"model":"a","messages":[{"role":"user","role":"system","content":"x"}]}""", "messages[0].role")]
    [InlineData("""{"model":"a","messages":[MSG,{"role":"user","content":"x","content":"y"}]}""", "messages[1].content")]
    [InlineData("""{"model":"a","mod\u0065l":"b","messages":[MSG]}""", "model")]
    public void ParseChat_DuplicateParameter_RefusedWithItsParam(string body, string param)
    {
        var result = RequestParser.ParseChat(Utf8(body), out _);

        Assert.False(result.Success);
        Assert.Equal(CharterError.InvalidRequest, result.Error);
        Assert.Equal(param, result.Param);
        Assert.Contains("Duplicate parameter", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseEmbeddings_DuplicateInput_Refused()
    {
        var result = RequestParser.ParseEmbeddings(Utf8("""{"model":"e","input":"a","input":["b"]}"""), out _);

        Assert.Equal("input", result.Param);
        Assert.False(result.Success);
    }

    [Theory]
    [InlineData("""{"model":"a","messages":[MSG,MSG],"user":"u","user":"v"}""")] // names Charter does not read: the upstream's business
    [InlineData("""{"model":"a","messages":[MSG],"max_tokens":5,"max_completion_tokens":7}""")] // two parameters, the larger counts
    [InlineData("""{"model":"a","messages":[{"role":"user","content":"x","name":"n"},{"role":"user","content":"y"}]}""")]
    [InlineData("""{"model":"a","messages":[MSG],"metadata":{"model":"b","model":"c"}}""")] // nested objects pass through
    public void ParseChat_NoDuplicateOfAFieldCharterReads_Accepted(string body)
    {
        var result = RequestParser.ParseChat(Utf8(body), out var request);

        Assert.True(result.Success, result.Message);
        Assert.Equal("a", request.Model);
    }

    [Theory]
    [InlineData("""{"model":"","messages":[MSG]}""", "model", "must not be empty")]
    [InlineData("""{"model":"a","messages":[MSG],"max_tokens":99999999999}""", "max_tokens", "from 1 to 2147483647")]
    [InlineData("""{"model":"a","messages":[MSG],"max_tokens":0}""", "max_tokens", "from 1 to 2147483647")]
    public void ParseChat_InvalidValue_RefusedWithItsParamAndRange(string body, string param, string message)
    {
        var result = RequestParser.ParseChat(Utf8(body), out _);

        Assert.Equal(param, result.Param);
        Assert.Contains(message, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseChat_MaxTokensAndMaxCompletionTokens_TheLargerCounts()
    {
        RequestParser.ParseChat(Utf8("""{"model":"a","messages":[MSG],"max_tokens":5,"max_completion_tokens":70}"""), out var request);

        Assert.Equal(70, request.MaxTokens);
    }

    private static byte[] Utf8(string body) => Encoding.UTF8.GetBytes(body.Replace("MSG", Message, StringComparison.Ordinal));
}
