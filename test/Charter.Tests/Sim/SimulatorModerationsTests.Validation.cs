// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Net;

namespace Charter.Tests.Sim;

/// <summary>What the moderations route accepts and refuses: 400s in OpenAI's shape naming the member.</summary>
public sealed partial class SimulatorModerationsTests
{
    [Theory]
    [InlineData("{\"input\":", null, null)]
    [InlineData("[\"x\"]", null, null)]
    [InlineData("{\"input\":\"x\"} {}", null, null)]
    [InlineData("{}", "input", "missing_required_parameter")]
    [InlineData("{\"model\":\"omni-moderation-latest\"}", "input", "missing_required_parameter")]
    [InlineData("{\"input\":null}", "input", "invalid_type")]
    [InlineData("{\"input\":5}", "input", "invalid_type")]
    [InlineData("{\"input\":true}", "input", "invalid_type")]
    [InlineData("{\"input\":{\"type\":\"text\",\"text\":\"x\"}}", "input", "invalid_type")]
    [InlineData("{\"input\":[]}", "input", "empty_array")]
    [InlineData("{\"input\":[1]}", "input[0]", "invalid_type")]
    [InlineData("{\"input\":[null]}", "input[0]", "invalid_type")]
    [InlineData("{\"input\":[[\"x\"]]}", "input[0]", "invalid_type")]
    [InlineData("{\"input\":[\"a\",5]}", "input[1]", "invalid_type")]
    [InlineData("{\"input\":[\"a\",{\"type\":\"text\",\"text\":\"b\"}]}", "input[1]", "invalid_type")]
    [InlineData("{\"input\":[{\"type\":\"text\",\"text\":\"a\"},\"b\"]}", "input[1]", "invalid_type")]
    [InlineData("{\"input\":[{\"text\":\"a\"}]}", "input[0].type", "missing_required_parameter")]
    [InlineData("{\"input\":[{\"type\":5,\"text\":\"a\"}]}", "input[0].type", "invalid_type")]
    [InlineData("{\"input\":[{\"type\":\"input_text\",\"text\":\"a\"}]}", "input[0].type", "invalid_value")]
    [InlineData("{\"input\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"image\"}]}", "input[1].type", "invalid_value")]
    [InlineData("{\"input\":[{\"type\":\"text\"}]}", "input[0].text", "missing_required_parameter")]
    [InlineData("{\"input\":[{\"type\":\"text\",\"text\":null}]}", "input[0].text", "invalid_type")]
    [InlineData("{\"input\":[{\"type\":\"text\",\"text\":[\"a\"]}]}", "input[0].text", "invalid_type")]
    [InlineData("{\"input\":[{\"type\":\"image_url\"}]}", "input[0].image_url", "missing_required_parameter")]
    [InlineData("{\"input\":[{\"type\":\"image_url\",\"image_url\":\"https://x.test/a.png\"}]}", "input[0].image_url", "invalid_type")]
    [InlineData("{\"input\":[{\"type\":\"image_url\",\"image_url\":{}}]}", "input[0].image_url.url", "missing_required_parameter")]
    [InlineData("{\"input\":[{\"type\":\"image_url\",\"image_url\":{\"url\":1}}]}", "input[0].image_url.url", "invalid_type")]
    [InlineData("{\"input\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"\"}}]}", "input[0].image_url.url", "invalid_value")]
    [InlineData("{\"input\":\"x\",\"model\":5}", "model", "invalid_type")]
    [InlineData("{\"input\":\"x\",\"model\":null}", "model", "invalid_type")]
    public async Task Moderations_InvalidRequest_400InOpenAIShapeNamingTheMember(string json, string? param, string? code)
    {
        using var client = new SimTestClient();
        var (status, body, _) = await client.PostAsync(Path, json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = body.GetProperty("error");
        Assert.Equal(["message", "type", "param", "code"], error.EnumerateObject().Select(p => p.Name));
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(1, client.Simulator.RequestCountFor("openai", "moderations"));
    }

    [Fact]
    public async Task Moderations_UnknownMembers_IgnoredAsEmbeddingsDo()
    {
        using var client = new SimTestClient();
        const string json = """
            {"input":[{"type":"text","text":"plain words","detail":"high"},
              {"type":"image_url","image_url":{"url":"https://x.test/a.png","detail":"low"},"extra":[1,{"a":2}]}],
             "user":"u-1","no_such_member":{"x":[1]}}
            """;
        var (status, body, _) = await client.PostAsync(Path, json);
        var plain = (await client.PostAsync(Path, """{"input":[{"type":"text","text":"plain words"},{"type":"image_url","image_url":{"url":"https://x.test/a.png"}}]}""")).Body;

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Result(plain, 0).GetRawText(), Result(body, 0).GetRawText());
    }

    [Fact]
    public async Task Moderations_TextMemberOnAnImagePart_Ignored()
    {
        using var client = new SimTestClient();
        var (status, body, _) = await client.PostAsync(Path, """{"input":[{"type":"image_url","text":"kill","image_url":{"url":"https://x.test/a.png"}}]}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(Result(body, 0).GetProperty("flagged").GetBoolean());
        Assert.Equal(["image"], Strings(Result(body, 0).GetProperty("category_applied_input_types").GetProperty("violence")));
    }
}
