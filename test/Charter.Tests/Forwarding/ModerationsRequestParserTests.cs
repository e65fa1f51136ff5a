// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text;
using Charter.Errors;
using Charter.Forwarding;

namespace Charter.Tests.Forwarding;

/// <summary>The one-pass parser on <c>/v1/moderations</c> bodies.</summary>
public sealed class ModerationsRequestParserTests
{
    [Theory]
    [InlineData("""{"model":"omni-moderation-2024-09-26","input":"I want to kill them."}""", "omni-moderation-2024-09-26", true)]
    [InlineData("""{"input":["one","two"]}""", "omni-moderation-latest", false)]
    [InlineData("""{"input":[{"type":"text","text":"x"},{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]}""", "omni-moderation-latest", false)]
    public void ParseModerations_ModelOrNone_ReadsInputAndTheModelTheApiUses(string body, string model, bool inBody)
    {
        var result = RequestParser.ParseModerations(Utf8(body), out var r);

        Assert.True(result.Success, result.Message);
        Assert.Equal(model, r.Model);
        Assert.Equal(inBody, r.ModelLength > 0);
        var input = body.Substring(r.MessagesStart, r.MessagesLength);
        Assert.True(input.StartsWith('"') || input.StartsWith('['), input);
        Assert.True(r.PromptChars > 0);
    }

    [Theory]
    [InlineData("""{"model":"m"}""", "input")]
    [InlineData("""{"input":7}""", "input")]
    [InlineData("""{"model":"","input":"x"}""", "model")]
    [InlineData("""{"model":3,"input":"x"}""", "model")]
    [InlineData("""{"input":"x","input":"y"}""", "input")]
    public void ParseModerations_InvalidBody_400WithParam(string body, string param)
    {
        var result = RequestParser.ParseModerations(Utf8(body), out _);

        Assert.False(result.Success);
        Assert.Equal(CharterError.InvalidRequest, result.Error);
        Assert.Equal(param, result.Param);
    }

    [Fact]
    public void ParseEmbeddings_NoModel_StillRefused()
    {
        // Only the Moderations API has a default model.
        Assert.Equal("model", RequestParser.ParseEmbeddings(Utf8("""{"input":"x"}"""), out _).Param);
    }

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
}
