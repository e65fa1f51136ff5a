// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text;
using Charter.Errors;
using Charter.Forwarding;

namespace Charter.Tests.Forwarding;

/// <summary>The one-pass parser on <c>/v1/responses</c> bodies: what the gateway and its policy read of them.</summary>
public sealed class ResponsesRequestParserTests
{
    [Fact]
    public void ParseResponses_StringInput_ReadsModelInputAndAllowance()
    {
        const string body = """{"model":"gpt-4o","instructions":"be terse","input":"hello","max_output_tokens":64,"temperature":0.3,"stream":true}""";
        var result = RequestParser.ParseResponses(Utf8(body), out var r);

        Assert.True(result.Success, result.Message);
        Assert.Equal("gpt-4o", r.Model);
        Assert.Equal("\"hello\"", body.Substring(r.MessagesStart, r.MessagesLength));
        Assert.Equal(64, r.MaxTokens);
        Assert.Equal(0.3, r.Temperature);
        Assert.True(r.Stream);
        Assert.Equal(1, r.MessageCount);
        Assert.Equal("hello".Length + "be terse".Length, r.PromptChars);
        Assert.False(r.Logprobs);
    }

    [Fact]
    public void ParseResponses_ItemInput_BoundsCoverTheArray()
    {
        const string body = """{"input":[{"role":"user","content":[{"type":"input_text","text":"hi"}]},{"type":"function_call_output","call_id":"c1","output":"42"}],"model":"m"}""";
        var result = RequestParser.ParseResponses(Utf8(body), out var r);

        Assert.True(result.Success, result.Message);
        Assert.Equal(2, r.MessageCount);
        var input = body.Substring(r.MessagesStart, r.MessagesLength);
        Assert.StartsWith("[{\"role\"", input, StringComparison.Ordinal);
        Assert.EndsWith("\"42\"}]", input, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model":"m","input":"x","include":["message.output_text.logprobs"]}""", true, 0)]
    [InlineData("""{"model":"m","input":"x","include":["reasoning.encrypted_content","message.output_text.logprobs"],"top_logprobs":5}""", true, 5)]
    [InlineData("""{"model":"m","input":"x","top_logprobs":3}""", true, 3)] // top_logprobs alone asks for them
    [InlineData("""{"model":"m","input":"x","top_logprobs":0,"include":["file_search_call.results"]}""", false, 0)]
    [InlineData("""{"model":"m","input":"x","include":null}""", false, 0)]
    public void ParseResponses_LogprobsAskedForEitherWay_PolicySeesLogprobs(string body, bool logprobs, int top)
    {
        var result = RequestParser.ParseResponses(Utf8(body), out var r);

        Assert.True(result.Success, result.Message);
        Assert.Equal(logprobs, r.Logprobs);
        Assert.Equal(top, r.TopLogprobs);
    }

    [Fact]
    public void ParseResponses_ChatOnlyParameters_NotReadForThePolicy()
    {
        // n and logprobs are not Responses parameters: the upstream refuses them; the parser must not count them as asked.
        var result = RequestParser.ParseResponses(Utf8("""{"model":"m","input":"x","n":8,"logprobs":true,"max_tokens":5,"logit_bias":{"1":1}}"""), out var r);

        Assert.True(result.Success, result.Message);
        Assert.Equal(1, r.N);
        Assert.False(r.Logprobs);
        Assert.Equal(0, r.MaxTokens);
        Assert.Equal(0, r.LogitBiasCount);
    }

    [Theory]
    [InlineData("""{"model":"m"}""", "input", "Missing required parameter")]
    [InlineData("""{"input":"x"}""", "model", "Missing required parameter")]
    [InlineData("""{"model":"m","input":5}""", "input", "expected a string or an array")]
    [InlineData("""{"model":"m","input":[]}""", "input", "at least one item")]
    [InlineData("""{"model":"m","input":["x"]}""", "input[0]", "expected an object")]
    [InlineData("""{"model":"m","input":[{"role":"user","content":"a"},7]}""", "input[1]", "expected an object")]
    [InlineData("""{"model":"m","input":"x","instructions":3}""", "instructions", "expected a string")]
    [InlineData("""{"model":"m","input":"x","max_output_tokens":"9"}""", "max_output_tokens", "from 1 to")]
    [InlineData("""{"model":"m","input":"x","max_output_tokens":0}""", "max_output_tokens", "from 1 to")]
    [InlineData("""{"model":"m","input":"x","top_logprobs":21}""", "top_logprobs", "from 0 to 20")]
    [InlineData("""{"model":"m","input":"x","include":"message.output_text.logprobs"}""", "include", "array of strings")]
    [InlineData("""{"model":"m","input":"x","include":[1]}""", "include", "array of strings")]
    [InlineData("""{"model":"m","input":"x","background":true}""", "background", "not supported through Charter")]
    [InlineData("""{"model":"m","input":"x","background":"yes"}""", "background", "expected a boolean")]
    [InlineData("""{"model":"m","input":"x","input":"y"}""", "input", "Duplicate parameter")]
    [InlineData("""{"model":"m","input":"x","instructions":"a","instructions":"b"}""", "instructions", "Duplicate parameter")]
    [InlineData("""{"model":"m","input":"x","max_output_tokens":5,"max_output_tokens":9000}""", "max_output_tokens", "Duplicate parameter")]
    [InlineData("""{"model":"m","input":"x","include":[],"include":["message.output_text.logprobs"]}""", "include", "Duplicate parameter")]
    public void ParseResponses_InvalidBody_RefusedWithItsParam(string body, string param, string message)
    {
        var result = RequestParser.ParseResponses(Utf8(body), out _);

        Assert.False(result.Success);
        Assert.Equal(CharterError.InvalidRequest, result.Error);
        Assert.Equal(param, result.Param);
        Assert.Contains(message, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseResponses_BackgroundFalseAndUnknownMembers_Accepted()
    {
        var result = RequestParser.ParseResponses(
            Utf8("""{"model":"m","input":"x","background":false,"store":false,"previous_response_id":"resp_1","text":{"format":{"type":"text"}},"stream_options":{"include_obfuscation":false}}"""),
            out var r);

        Assert.True(result.Success, result.Message);
        Assert.True(r.HasStreamOptions);
        Assert.False(r.IncludeUsage);
    }

    [Theory]
    [InlineData("chat.completions", """{"model":"m","messages":[{"role":"user","content":"x"}]}""")]
    [InlineData("embeddings", """{"model":"m","input":"x"}""")]
    [InlineData("responses", """{"model":"m","input":"x","max_output_tokens":7}""")]
    public void ParseFor_Endpoint_ChoosesItsParser(string endpoint, string body)
    {
        Assert.True(RequestParser.ParseFor(endpoint, Utf8(body), out var r).Success);
        Assert.Equal("m", r.Model);
        Assert.Equal(endpoint == "responses" ? 7 : 0, r.MaxTokens);
    }

    private static byte[] Utf8(string body) => Encoding.UTF8.GetBytes(body);
}
