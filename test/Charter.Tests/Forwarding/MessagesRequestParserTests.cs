// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text;
using Charter.Errors;
using Charter.Forwarding;

namespace Charter.Tests.Forwarding;

/// <summary>The one-pass parser on <c>/v1/messages</c> bodies (Anthropic's Messages API).</summary>
public sealed class MessagesRequestParserTests
{
    [Fact]
    public void ParseMessages_FullBody_ReadsWhatThePolicyAndTheLimitsDecideOn()
    {
        const string body = """{"model":"claude-sonnet-4","max_tokens":1024,"system":[{"type":"text","text":"You are terse.","cache_control":{"type":"ephemeral"}}],"messages":[{"role":"user","content":"Hello"},{"role":"assistant","content":[{"type":"text","text":"Hi"}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"4"}]}],"temperature":0.5,"stream":true,"top_k":5}""";

        var result = RequestParser.ParseMessages(Utf8(body), out var r);

        Assert.True(result.Success, result.Message);
        Assert.Equal("claude-sonnet-4", r.Model);
        Assert.Equal(1024, r.MaxTokens);
        Assert.Equal(3, r.MessageCount);
        Assert.Equal(0.5, r.Temperature);
        Assert.True(r.Stream);
        Assert.Equal(1, r.N);
        Assert.False(r.Logprobs);
        Assert.StartsWith("[{\"role\":\"user\"", body.Substring(r.MessagesStart, r.MessagesLength), StringComparison.Ordinal);
        Assert.EndsWith("}]", body.Substring(r.MessagesStart, r.MessagesLength), StringComparison.Ordinal);
        var withoutSystem = RequestParser.ParseMessages(Utf8(body.Replace("""[{"type":"text","text":"You are terse.","cache_control":{"type":"ephemeral"}}]""", "null", StringComparison.Ordinal)), out var bare);
        Assert.True(withoutSystem.Success);
        Assert.True(r.PromptChars > bare.PromptChars); // the system prompt counts toward the prompt
    }

    [Theory]
    [InlineData(""","n":128""")]
    [InlineData(""","logprobs":true,"top_logprobs":20""")]
    [InlineData(""","logit_bias":{"50256":-100}""")]
    [InlineData(""","max_completion_tokens":99999""")]
    [InlineData(""","stream_options":{"include_usage":true}""")]
    public void ParseMessages_OpenAiOnlyParameters_NotReadSoTheyCannotChangeTheDecision(string extra)
    {
        var body = """{"model":"m","max_tokens":16,"messages":[{"role":"user","content":"x"}]""" + extra + "}";

        var result = RequestParser.ParseMessages(Utf8(body), out var r);

        Assert.True(result.Success, result.Message);
        Assert.Equal((1, false, 0, 0, 16), (r.N, r.Logprobs, r.TopLogprobs, r.LogitBiasCount, r.MaxTokens));
    }

    [Theory]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}]}""", "max_tokens")]
    [InlineData("""{"model":"m","max_tokens":null,"messages":[{"role":"user","content":"x"}]}""", "max_tokens")]
    [InlineData("""{"model":"m","max_tokens":0,"messages":[{"role":"user","content":"x"}]}""", "max_tokens")]
    [InlineData("""{"model":"m","max_tokens":"8","messages":[{"role":"user","content":"x"}]}""", "max_tokens")]
    [InlineData("""{"model":"m","max_tokens":8}""", "messages")]
    [InlineData("""{"model":"m","max_tokens":8,"messages":[]}""", "messages")]
    [InlineData("""{"model":"m","max_tokens":8,"messages":[{"content":"x"}]}""", "messages[0].role")]
    [InlineData("""{"max_tokens":8,"messages":[{"role":"user","content":"x"}]}""", "model")]
    [InlineData("""{"model":"m","max_tokens":8,"messages":[{"role":"user","content":"x"}],"system":{"text":"x"}}""", "system")]
    [InlineData("""{"model":"m","max_tokens":8,"messages":[{"role":"user","content":"x"}],"system":"a","system":"b"}""", "system")]
    [InlineData("""{"model":"m","max_tokens":8,"messages":[{"role":"user","content":"x"}],"temperature":1.01}""", "temperature")]
    [InlineData("""{"model":"m","max_tokens":8,"max_tokens":9000,"messages":[{"role":"user","content":"x"}]}""", "max_tokens")]
    public void ParseMessages_InvalidBody_400WithParam(string body, string param)
    {
        var result = RequestParser.ParseMessages(Utf8(body), out _);

        Assert.False(result.Success);
        Assert.Equal(CharterError.InvalidRequest, result.Error);
        Assert.Equal(param, result.Param);
    }

    [Fact]
    public void ParseFor_Messages_IsTheMessagesParser()
    {
        // Chat accepts a body without max_tokens; the Messages API does not, and the parser chosen by endpoint says so.
        var body = Utf8("""{"model":"m","messages":[{"role":"user","content":"x"}]}""");
        Assert.True(RequestParser.ParseFor("chat.completions", body, out _).Success);
        Assert.Equal("max_tokens", RequestParser.ParseFor("messages", body, out _).Param);
    }

    [Fact]
    public void ParseCountTokens_NoMaxTokens_AcceptedWithTheSameChecksOtherwise()
    {
        // Counting generates nothing: no max_tokens. The rest is a Messages body, checked as one.
        Assert.True(RequestParser.ParseCountTokens(Utf8("""{"model":"m","system":"s","messages":[{"role":"user","content":"x"}]}"""), out var r).Success);
        Assert.Equal(0, r.MaxTokens);
        Assert.Equal("messages", RequestParser.ParseCountTokens(Utf8("""{"model":"m"}"""), out _).Param);
        Assert.Equal("system", RequestParser.ParseFor("messages.count_tokens", Utf8("""{"model":"m","system":1,"messages":[{"role":"user","content":"x"}]}"""), out _).Param);
    }

    [Fact]
    public void ParseChat_TemperatureAboveOne_StillAllowed()
    {
        // Only the Messages API caps temperature at 1.
        Assert.True(RequestParser.ParseChat(Utf8("""{"model":"m","messages":[{"role":"user","content":"x"}],"temperature":1.5}"""), out _).Success);
    }

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
}
