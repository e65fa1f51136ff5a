// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Net;

namespace Charter.Tests.Sim;

/// <summary>What the legacy completions route accepts and refuses: every member checked for type and range, 400s naming it.</summary>
public sealed partial class SimulatorCompletionsTests
{
    [Fact]
    public async Task Completions_EveryOptionalMemberValidAndUnknownMember_Accepted()
    {
        using var client = new SimTestClient();
        const string extra = """
            ,"max_tokens":null,"n":null,"best_of":null,"logprobs":null,"echo":false,"stream":false,"stream_options":null,
            "temperature":0.5,"top_p":1,"frequency_penalty":-2,"presence_penalty":2,"seed":12345678901,"stop":["\n","END"],
            "suffix":"!","user":"u-1","logit_bias":{"50256":-100,"15":2.5},"no_such_member":{"x":[1]}
            """;
        var (status, body, _) = await client.PostAsync(Path, Body("\"Hello\"", extra: extra));
        var plain = (await client.PostAsync(Path, Body("\"Hello\""))).Body;

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Text(plain, 0), Text(body, 0));
    }

    [Fact]
    public async Task Completions_NullPrompt_TheSpecsDefaultPrompt()
    {
        using var client = new SimTestClient();
        var (status, body, _) = await client.PostAsync(Path, Body("null", extra: ",\"echo\":true"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("<|endoftext|>", Text(body, 0), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"prompt\":", null, null)]
    [InlineData("{\"prompt\":\"x\"}", null, null)]
    [InlineData("{\"model\":\"gpt-4o\"}", "prompt", "missing_required_parameter")]
    [InlineData("{\"model\":5,\"prompt\":\"x\"}", "model", "invalid_type")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":5}", "prompt", "invalid_type")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":{\"text\":\"x\"}}", "prompt", "invalid_type")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":[]}", "prompt", "empty_array")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":[true]}", "prompt", "invalid_type")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":[\"a\",1]}", "prompt[1]", "invalid_type")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":[1,\"a\"]}", "prompt[1]", "invalid_type")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":[1.5]}", "prompt[0]", "invalid_type")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":[-1]}", "prompt[0]", "invalid_value")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":[[1],[]]}", "prompt[1]", "empty_array")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":[[1],\"a\"]}", "prompt[1]", "invalid_type")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":[[1,\"a\"]]}", "prompt[0][1]", "invalid_type")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":\"x\",\"max_tokens\":\"16\"}", "max_tokens", "invalid_type")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":\"x\",\"max_tokens\":-1}", "max_tokens", "invalid_value")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":\"x\",\"n\":\"2\"}", "n", "invalid_type")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":\"x\",\"n\":0}", "n", "invalid_value")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":\"x\",\"n\":129}", "n", "invalid_value")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":\"x\",\"best_of\":\"3\"}", "best_of", "invalid_type")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":\"x\",\"n\":3,\"best_of\":2}", "best_of", "invalid_value")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":\"x\",\"best_of\":21}", "best_of", "invalid_value")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":\"x\",\"best_of\":2,\"stream\":true}", "best_of", "invalid_value")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":\"x\",\"logprobs\":6}", "logprobs", "invalid_value")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":\"x\",\"logprobs\":-1}", "logprobs", "invalid_value")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":\"x\",\"logprobs\":true}", "logprobs", "invalid_type")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":\"x\",\"echo\":\"yes\"}", "echo", "invalid_type")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":\"x\",\"stream\":1}", "stream", "invalid_type")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":\"x\",\"stream_options\":{\"include_usage\":true}}", "stream_options", null)]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":\"x\",\"stream\":true,\"stream_options\":1}", "stream_options", "invalid_type")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":\"x\",\"stream\":true,\"stream_options\":{\"include_usage\":1}}", "stream_options.include_usage", "invalid_type")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":\"x\",\"temperature\":\"hot\"}", "temperature", "invalid_type")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":\"x\",\"temperature\":2.5}", "temperature", "decimal_above_max_value")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":\"x\",\"top_p\":-0.1}", "top_p", "decimal_below_min_value")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":\"x\",\"frequency_penalty\":-3}", "frequency_penalty", "decimal_below_min_value")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":\"x\",\"presence_penalty\":[]}", "presence_penalty", "invalid_type")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":\"x\",\"seed\":1.5}", "seed", "invalid_type")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":\"x\",\"stop\":5}", "stop", "invalid_type")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":\"x\",\"stop\":[\"a\",2]}", "stop[1]", "invalid_type")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":\"x\",\"stop\":[]}", "stop", "empty_array")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":\"x\",\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}", "stop", "array_above_max_length")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":\"x\",\"suffix\":5}", "suffix", "invalid_type")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":\"x\",\"user\":{}}", "user", "invalid_type")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":\"x\",\"logit_bias\":[1]}", "logit_bias", "invalid_type")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":\"x\",\"logit_bias\":{\"50256\":\"x\"}}", "logit_bias", "invalid_type")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":\"x\",\"logit_bias\":{\"word\":1}}", "logit_bias", "invalid_value")]
    [InlineData("{\"model\":\"gpt-4o\",\"prompt\":\"x\",\"logit_bias\":{\"50256\":-101}}", "logit_bias", "invalid_value")]
    public async Task Completions_InvalidRequest_400InOpenAIShapeNamingTheMember(string json, string? param, string? code)
    {
        using var client = new SimTestClient();
        var (status, body, _) = await client.PostAsync(Path, json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = body.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Completions_MissingModel_ChatsMessage()
    {
        using var client = new SimTestClient();
        var (status, body, _) = await client.PostAsync(Path, "{\"prompt\":\"x\"}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("you must provide a model parameter", body.GetProperty("error").GetProperty("message").GetString());
    }
}
