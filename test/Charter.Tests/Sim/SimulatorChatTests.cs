// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Net;
using System.Text;
using System.Text.Json;
using Charter.Sim;

namespace Charter.Tests.Sim;

public sealed class SimulatorChatTests
{
    [Fact]
    public async Task Chat_SameRequestTwice_SameText()
    {
        using var client = new SimTestClient();
        var first = await client.PostAsync("/v1/chat/completions", SimTestClient.Chat("Tell me about rivers."));
        var second = await client.PostAsync("/v1/chat/completions", SimTestClient.Chat("Tell me about rivers."));

        Assert.Equal(HttpStatusCode.OK, first.Status);
        var text = Content(first.Body, 0);
        Assert.False(string.IsNullOrWhiteSpace(text));
        Assert.Equal(text, Content(second.Body, 0));
        Assert.NotEqual(first.Body.GetProperty("id").GetString(), second.Body.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Chat_SameRequestOnTwoSimulators_SameTextDistinctIds()
    {
        // Two sim accounts of one route must not hand out the same ids, as two providers' accounts would not.
        using var client = new SimTestClient();
        using var other = new SimTestClient();
        var first = await client.PostAsync("/v1/chat/completions", SimTestClient.Chat("Tell me about rivers."));
        var elsewhere = await other.PostAsync("/v1/chat/completions", SimTestClient.Chat("Tell me about rivers."));

        Assert.Equal(Content(first.Body, 0), Content(elsewhere.Body, 0));
        Assert.NotEqual(first.Body.GetProperty("id").GetString(), elsewhere.Body.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Chat_DifferentPromptModelOrSeed_DifferentText()
    {
        using var client = new SimTestClient();
        using var seeded = new SimTestClient(new SimulatorOptions { Seed = 42 });
        var baseline = Content((await client.PostAsync("/v1/chat/completions", SimTestClient.Chat("Tell me about rivers."))).Body, 0);

        Assert.NotEqual(baseline, Content((await client.PostAsync("/v1/chat/completions", SimTestClient.Chat("Tell me about lakes."))).Body, 0));
        Assert.NotEqual(baseline, Content((await client.PostAsync("/v1/chat/completions", SimTestClient.Chat("Tell me about rivers.", "gpt-4o-mini"))).Body, 0));
        Assert.NotEqual(baseline, Content((await seeded.PostAsync("/v1/chat/completions", SimTestClient.Chat("Tell me about rivers."))).Body, 0));
    }

    [Fact]
    public async Task Chat_NoMaxTokens_StopsWithinDefaultLength()
    {
        using var client = new SimTestClient();
        var (status, body, _) = await client.PostAsync("/v1/chat/completions", SimTestClient.Chat("Hello"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("chat.completion", body.GetProperty("object").GetString());
        Assert.Equal("gpt-4o", body.GetProperty("model").GetString());
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        var text = choice.GetProperty("message").GetProperty("content").GetString()!;
        Assert.EndsWith(".", text, StringComparison.Ordinal);
        var usage = body.GetProperty("usage");
        var completion = usage.GetProperty("completion_tokens").GetInt32();
        Assert.InRange(completion, 16, 48);
        Assert.Equal(completion, text.Split(' ').Length);
        Assert.True(usage.GetProperty("prompt_tokens").GetInt32() > 0);
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32() + completion, usage.GetProperty("total_tokens").GetInt32());
    }

    [Theory]
    [InlineData("max_tokens")]
    [InlineData("max_completion_tokens")]
    public async Task Chat_MaxTokensBelowNatural_CutsWithLength(string field)
    {
        using var client = new SimTestClient();
        var full = Content((await client.PostAsync("/v1/chat/completions", SimTestClient.Chat("Hello"))).Body, 0);
        var (status, body, _) = await client.PostAsync("/v1/chat/completions", SimTestClient.Chat("Hello", extra: $",\"{field}\":5"));

        Assert.Equal(HttpStatusCode.OK, status);
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(5, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        var text = choice.GetProperty("message").GetProperty("content").GetString()!;
        Assert.Equal(5, text.Split(' ').Length);
        Assert.StartsWith(text, full, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_MaxTokensAboveNatural_StopsNaturally()
    {
        using var client = new SimTestClient();
        var (_, body, _) = await client.PostAsync("/v1/chat/completions", SimTestClient.Chat("Hello", extra: ",\"max_tokens\":4096"));

        Assert.Equal("stop", body.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Chat_NThree_ThreeIndexedChoicesAndSummedUsage()
    {
        using var client = new SimTestClient();
        var (_, body, _) = await client.PostAsync("/v1/chat/completions", SimTestClient.Chat("Hello", extra: ",\"n\":3"));

        var choices = body.GetProperty("choices");
        Assert.Equal(3, choices.GetArrayLength());
        var total = 0;
        var texts = new HashSet<string>();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(i, choices[i].GetProperty("index").GetInt32());
            var text = Content(body, i);
            texts.Add(text);
            total += text.Split(' ').Length;
        }

        Assert.Equal(3, texts.Count);
        Assert.Equal(total, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Chat_Logprobs_OneEntryPerTokenWithTopAlternatives()
    {
        using var client = new SimTestClient();
        var (_, body, _) = await client.PostAsync("/v1/chat/completions", SimTestClient.Chat("Hello", extra: ",\"logprobs\":true,\"top_logprobs\":3"));

        var choice = body.GetProperty("choices")[0];
        var content = choice.GetProperty("logprobs").GetProperty("content");
        Assert.Equal(body.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), content.GetArrayLength());
        var rebuilt = new StringBuilder();
        foreach (var entry in content.EnumerateArray())
        {
            var token = entry.GetProperty("token").GetString()!;
            rebuilt.Append(token);
            Assert.True(entry.GetProperty("logprob").GetDouble() <= 0);
            var bytes = entry.GetProperty("bytes").EnumerateArray().Select(b => (byte)b.GetInt32()).ToArray();
            Assert.Equal(token, Encoding.UTF8.GetString(bytes));
            var top = entry.GetProperty("top_logprobs");
            Assert.Equal(3, top.GetArrayLength());
            Assert.Equal(token, top[0].GetProperty("token").GetString());
            Assert.True(top[1].GetProperty("logprob").GetDouble() < top[0].GetProperty("logprob").GetDouble());
        }

        Assert.Equal(choice.GetProperty("message").GetProperty("content").GetString(), rebuilt.ToString());
    }

    [Fact]
    public async Task Chat_NoLogprobs_LogprobsNull()
    {
        using var client = new SimTestClient();
        var (_, body, _) = await client.PostAsync("/v1/chat/completions", SimTestClient.Chat("Hello"));

        Assert.Equal(JsonValueKind.Null, body.GetProperty("choices")[0].GetProperty("logprobs").ValueKind);
    }

    [Theory]
    [InlineData("{\"model\":", null)]
    [InlineData("not json", null)]
    [InlineData("{\"model\":\"gpt-4o\"}", "messages")]
    [InlineData("{\"model\":\"gpt-4o\",\"messages\":[]}", "messages")]
    [InlineData("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"n\":\"two\"}", "n")]
    [InlineData("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"n\":0}", "n")]
    [InlineData("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"top_logprobs\":2}", "top_logprobs")]
    [InlineData("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream_options\":{\"include_usage\":true}}", "stream_options")]
    [InlineData("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":0}", "max_tokens")]
    public async Task Chat_InvalidRequest_400InOpenAIShape(string json, string? param)
    {
        using var client = new SimTestClient();
        var (status, body, _) = await client.PostAsync("/v1/chat/completions", json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = body.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.True(error.TryGetProperty("code", out _));
        Assert.Equal(param, error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task Chat_ContentParts_SameAnswerAsStringContent()
    {
        using var client = new SimTestClient();
        var parts = """{"model":"gpt-4o","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Hel"},{"type":"text","text":"lo"}]}]}""";
        var asParts = Content((await client.PostAsync("/v1/chat/completions", parts)).Body, 0);
        var asString = Content((await client.PostAsync("/v1/chat/completions", SimTestClient.Chat("Hello"))).Body, 0);

        Assert.Equal(asString, asParts);
    }

    internal static string Content(JsonElement body, int choice) =>
        body.GetProperty("choices")[choice].GetProperty("message").GetProperty("content").GetString()!;
}
