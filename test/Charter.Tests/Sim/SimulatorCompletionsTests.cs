// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Net;
using System.Text.Json;
using Charter.Sim;

namespace Charter.Tests.Sim;

/// <summary>OpenAI's legacy Completions API on the simulator (<c>POST /v1/completions</c>, spec <c>CreateCompletionRequest</c> →
/// <c>CreateCompletionResponse</c>): answers, echo, logprobs and token-id prompts. Validation, streams, faults and the Azure and
/// Kestrel routes are in the other parts of this class.</summary>
public sealed partial class SimulatorCompletionsTests
{
    private const string Path = "/v1/completions";
    private const string Schema = "CreateCompletionResponse";

    [Fact]
    public async Task Completions_StringPrompt_TextCompletionValidAgainstTheSpec()
    {
        using var client = new SimTestClient();
        var (status, body, response) = await client.PostAsync(Path, Body("\"Tell me about rivers.\""));

        Assert.Equal(HttpStatusCode.OK, status);
        SimSpec.AssertValid(Schema, body);
        Assert.Equal("text_completion", body.GetProperty("object").GetString());
        Assert.StartsWith("cmpl-", body.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("gpt-4o", body.GetProperty("model").GetString());
        Assert.Equal("fp_sim", body.GetProperty("system_fingerprint").GetString());
        Assert.True(response.Headers.Contains("x-request-id"));
        var choice = body.GetProperty("choices")[0];
        Assert.Equal(0, choice.GetProperty("index").GetInt32());
        Assert.Equal(JsonValueKind.Null, choice.GetProperty("logprobs").ValueKind);
        Assert.False(string.IsNullOrWhiteSpace(choice.GetProperty("text").GetString()));
        var usage = body.GetProperty("usage");
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32() + usage.GetProperty("completion_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32());
    }

    [Theory]
    [InlineData("""{"id":"cmpl-x","object":"text_completion","created":1,"model":"m"}""")]
    [InlineData("""{"id":"cmpl-x","object":"text_completion","created":1,"model":"m","choices":[{"text":"","index":0,"logprobs":null,"finish_reason":"done"}]}""")]
    [InlineData("""{"id":"cmpl-x","object":"chat.completion","created":1,"model":"m","choices":[]}""")]
    [InlineData("""{"id":"cmpl-x","object":"text_completion","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":"1","completion_tokens":1,"total_tokens":2}}""")]
    public void Spec_AnswerBreakingTheSchema_Rejected(string json)
    {
        // The validator itself: a missing member, a value outside an enum, and a wrong type behind a $ref all fail.
        using var doc = JsonDocument.Parse(json);

        Assert.Throws<Xunit.Sdk.FailException>(() => SimSpec.AssertValid(Schema, doc.RootElement));
    }

    [Fact]
    public async Task Completions_SamePromptTwice_SameTextDistinctIds()
    {
        using var client = new SimTestClient();
        using var other = new SimTestClient();
        var first = (await client.PostAsync(Path, Body("\"Tell me about rivers.\""))).Body;
        var second = (await client.PostAsync(Path, Body("\"Tell me about rivers.\""))).Body;
        var elsewhere = (await other.PostAsync(Path, Body("\"Tell me about rivers.\""))).Body;

        Assert.Equal(Text(first, 0), Text(second, 0));
        Assert.Equal(Text(first, 0), Text(elsewhere, 0));
        Assert.NotEqual(Id(first), Id(second));
        // Another simulator (another account of the same route) answers with its own ids, as a provider does.
        Assert.NotEqual(Id(first), Id(elsewhere));
    }

    [Fact]
    public async Task Completions_DifferentPromptModelOrSeed_DifferentText()
    {
        using var client = new SimTestClient();
        using var seeded = new SimTestClient(new SimulatorOptions { Seed = 42 });
        var baseline = Text((await client.PostAsync(Path, Body("\"Tell me about rivers.\""))).Body, 0);

        Assert.NotEqual(baseline, Text((await client.PostAsync(Path, Body("\"Tell me about lakes.\""))).Body, 0));
        Assert.NotEqual(baseline, Text((await client.PostAsync(Path, Body("\"Tell me about rivers.\"", model: "gpt-4o-mini"))).Body, 0));
        Assert.NotEqual(baseline, Text((await seeded.PostAsync(Path, Body("\"Tell me about rivers.\""))).Body, 0));
    }

    [Theory]
    [InlineData("Tell me about rivers.")]
    [InlineData("Which is larger?\nA) 2\nB) 3")]
    public async Task Completions_Prompt_SameTextAndPromptTokensAsChatWithOneUserMessage(string prompt)
    {
        using var client = new SimTestClient();
        var json = JsonSerializer.Serialize(prompt);
        var chat = (await client.PostAsync("/v1/chat/completions", $$"""{"model":"gpt-4o","messages":[{"role":"user","content":{{json}}}]}""")).Body;
        var completion = (await client.PostAsync(Path, Body(json, extra: ",\"max_tokens\":100"))).Body;

        Assert.Equal(SimulatorChatTests.Content(chat, 0), Text(completion, 0));
        Assert.Equal(Usage(chat, "prompt_tokens"), Usage(completion, "prompt_tokens"));
        Assert.Equal(Usage(chat, "completion_tokens"), Usage(completion, "completion_tokens"));
    }

    [Fact]
    public async Task Completions_NoMaxTokens_CutAtTheLegacyDefaultOfSixteen()
    {
        using var longAnswers = new SimTestClient(new SimulatorOptions { MinCompletionTokens = 30, MaxCompletionTokens = 30 });
        using var shortAnswers = new SimTestClient(new SimulatorOptions { MinCompletionTokens = 10, MaxCompletionTokens = 10 });
        var cut = (await longAnswers.PostAsync(Path, Body("\"Hello\""))).Body;
        var whole = (await shortAnswers.PostAsync(Path, Body("\"Hello\""))).Body;

        Assert.Equal("length", FinishReason(cut, 0));
        Assert.Equal(16, Usage(cut, "completion_tokens"));
        Assert.Equal(16, Text(cut, 0).Split(' ').Length);
        Assert.Equal("stop", FinishReason(whole, 0));
        Assert.Equal(10, Usage(whole, "completion_tokens"));
        Assert.EndsWith(".", Text(whole, 0), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Completions_MaxTokensBelowNatural_PrefixOfTheWholeTextWithLength()
    {
        using var client = new SimTestClient();
        var full = Text((await client.PostAsync(Path, Body("\"Hello\"", extra: ",\"max_tokens\":100"))).Body, 0);
        var cut = (await client.PostAsync(Path, Body("\"Hello\"", extra: ",\"max_tokens\":5"))).Body;

        Assert.Equal("length", FinishReason(cut, 0));
        Assert.Equal(5, Usage(cut, "completion_tokens"));
        Assert.Equal(5, Text(cut, 0).Split(' ').Length);
        Assert.StartsWith(Text(cut, 0), full, StringComparison.Ordinal);
        Assert.Equal("stop", FinishReason((await client.PostAsync(Path, Body("\"Hello\"", extra: ",\"max_tokens\":100"))).Body, 0));
    }

    [Fact]
    public async Task Completions_MaxTokensZero_EmptyTextLengthNoCompletionTokens()
    {
        using var client = new SimTestClient();
        var (status, body, _) = await client.PostAsync(Path, Body("\"Hello\"", extra: ",\"max_tokens\":0"));

        Assert.Equal(HttpStatusCode.OK, status);
        SimSpec.AssertValid(Schema, body);
        Assert.Equal(string.Empty, Text(body, 0));
        Assert.Equal("length", FinishReason(body, 0));
        Assert.Equal(0, Usage(body, "completion_tokens"));
    }

    [Fact]
    public async Task Completions_NChoicesForSeveralPrompts_IndexedPromptMajorWithSummedUsage()
    {
        using var client = new SimTestClient();
        var rivers = (await client.PostAsync(Path, Body("\"Rivers\"", extra: ",\"n\":3"))).Body;
        var lakes = (await client.PostAsync(Path, Body("\"Lakes\"", extra: ",\"n\":3"))).Body;
        var (status, both, _) = await client.PostAsync(Path, Body("[\"Rivers\",\"Lakes\"]", extra: ",\"n\":3"));

        Assert.Equal(HttpStatusCode.OK, status);
        SimSpec.AssertValid(Schema, both);
        var choices = both.GetProperty("choices");
        Assert.Equal(6, choices.GetArrayLength());
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(i, choices[i].GetProperty("index").GetInt32());
            Assert.Equal(Text(i < 3 ? rivers : lakes, i % 3), Text(both, i));
        }

        Assert.Equal(3, Enumerable.Range(0, 3).Select(i => Text(rivers, i)).Distinct().Count());
        Assert.Equal(Usage(rivers, "prompt_tokens") + Usage(lakes, "prompt_tokens"), Usage(both, "prompt_tokens"));
        Assert.Equal(Usage(rivers, "completion_tokens") + Usage(lakes, "completion_tokens"), Usage(both, "completion_tokens"));
    }

    [Fact]
    public async Task Completions_BestOf_ReturnsTheCandidatesOfHighestMeanLogprobAndBillsThemAll()
    {
        using var client = new SimTestClient();
        var candidates = (await client.PostAsync(Path, Body("\"Hello\"", extra: ",\"n\":4,\"logprobs\":0"))).Body;
        var (status, best, _) = await client.PostAsync(Path, Body("\"Hello\"", extra: ",\"n\":2,\"best_of\":4"));

        Assert.Equal(HttpStatusCode.OK, status);
        var means = Enumerable.Range(0, 4)
            .Select(i => candidates.GetProperty("choices")[i].GetProperty("logprobs").GetProperty("token_logprobs").EnumerateArray().Average(e => e.GetDouble()))
            .ToArray();
        var expected = Enumerable.Range(0, 4).OrderByDescending(i => means[i]).ThenBy(i => i).Take(2).Order().Select(i => Text(candidates, i));
        Assert.Equal(expected, Enumerable.Range(0, 2).Select(i => Text(best, i)));
        Assert.Equal(Usage(candidates, "completion_tokens"), Usage(best, "completion_tokens"));
    }

    [Fact]
    public async Task Completions_BestOfEqualToN_SameChoicesAsWithout()
    {
        using var client = new SimTestClient();
        var plain = (await client.PostAsync(Path, Body("\"Hello\"", extra: ",\"n\":3"))).Body;
        var bestOf = (await client.PostAsync(Path, Body("\"Hello\"", extra: ",\"n\":3,\"best_of\":3"))).Body;

        Assert.Equal(Enumerable.Range(0, 3).Select(i => Text(plain, i)), Enumerable.Range(0, 3).Select(i => Text(bestOf, i)));
    }

    [Fact]
    public async Task Completions_Echo_EachChoiceStartsWithItsPrompt()
    {
        using var client = new SimTestClient();
        var plain = (await client.PostAsync(Path, Body("[\"Rivers\",\"Lakes\"]", extra: ",\"n\":2"))).Body;
        var echoed = (await client.PostAsync(Path, Body("[\"Rivers\",\"Lakes\"]", extra: ",\"n\":2,\"echo\":true"))).Body;

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal((i < 2 ? "Rivers" : "Lakes") + Text(plain, i), Text(echoed, i));
        }

        Assert.Equal(Usage(plain, "prompt_tokens"), Usage(echoed, "prompt_tokens"));
        Assert.Equal(Usage(plain, "completion_tokens"), Usage(echoed, "completion_tokens"));
    }

    [Fact]
    public async Task Completions_Logprobs_OneEntryPerTokenWithDistinctTopAlternatives()
    {
        using var client = new SimTestClient();
        var (_, body, _) = await client.PostAsync(Path, Body("\"Hello\"", extra: ",\"logprobs\":3,\"n\":2"));

        SimSpec.AssertValid(Schema, body);
        for (var c = 0; c < 2; c++)
        {
            var text = Text(body, c);
            var logprobs = body.GetProperty("choices")[c].GetProperty("logprobs");
            var tokens = logprobs.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()!).ToArray();
            var values = logprobs.GetProperty("token_logprobs").EnumerateArray().Select(t => t.GetDouble()).ToArray();
            var tops = logprobs.GetProperty("top_logprobs").EnumerateArray().ToArray();
            var offsets = logprobs.GetProperty("text_offset").EnumerateArray().Select(t => t.GetInt32()).ToArray();

            Assert.Equal(text, string.Concat(tokens));
            Assert.Equal(text.Split(' ').Length, tokens.Length);
            Assert.Equal(tokens.Length, values.Length);
            Assert.Equal(tokens.Length, tops.Length);
            Assert.Equal(tokens.Length, offsets.Length);
            for (var i = 0; i < tokens.Length; i++)
            {
                Assert.Equal(text.IndexOf(tokens[i], offsets[i], StringComparison.Ordinal), offsets[i]);
                Assert.True(values[i] <= 0);
                var top = tops[i].EnumerateObject().ToArray();
                Assert.Equal(3, top.Length);
                Assert.Equal(3, top.Select(p => p.Name).Distinct().Count());
                Assert.Equal(tokens[i], top[0].Name);
                Assert.Equal(values[i], top[0].Value.GetDouble());
                Assert.All(top.Skip(1), p => Assert.True(p.Value.GetDouble() < values[i]));
            }
        }

        Assert.Equal(Usage(body, "completion_tokens"), Enumerable.Range(0, 2).Sum(c => body.GetProperty("choices")[c].GetProperty("logprobs").GetProperty("tokens").GetArrayLength()));
    }

    [Fact]
    public async Task Completions_LogprobsZero_ChosenTokensOnlyEmptyAlternatives()
    {
        using var client = new SimTestClient();
        var (_, body, _) = await client.PostAsync(Path, Body("\"Hello\"", extra: ",\"logprobs\":0"));

        var logprobs = body.GetProperty("choices")[0].GetProperty("logprobs");
        Assert.Equal(Usage(body, "completion_tokens"), logprobs.GetProperty("token_logprobs").GetArrayLength());
        Assert.All(logprobs.GetProperty("top_logprobs").EnumerateArray(), top => Assert.Empty(top.EnumerateObject()));
    }

    [Fact]
    public async Task Completions_EchoWithLogprobs_PromptTokensFirstTheFirstNull()
    {
        using var client = new SimTestClient();
        var (status, body, _) = await client.PostAsync(Path, Body("\"Say hello to the world\"", extra: ",\"echo\":true,\"logprobs\":2,\"max_tokens\":3"));

        Assert.Equal(HttpStatusCode.OK, status);
        AssertValidEchoedLogprobs(body);
        var text = Text(body, 0);
        var logprobs = body.GetProperty("choices")[0].GetProperty("logprobs");
        var tokens = logprobs.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()!).ToArray();
        Assert.Equal(["Say", " hello", " to", " the", " world"], tokens[..5]);
        Assert.Equal(5 + 3, tokens.Length);
        Assert.Equal(text, string.Concat(tokens));
        Assert.Equal([0, 3, 9, 12, 16, 22], logprobs.GetProperty("text_offset").EnumerateArray().Select(o => o.GetInt32()).Take(6));
        Assert.Equal(JsonValueKind.Null, logprobs.GetProperty("token_logprobs")[0].ValueKind);
        Assert.Equal(JsonValueKind.Null, logprobs.GetProperty("top_logprobs")[0].ValueKind);
        Assert.All(logprobs.GetProperty("token_logprobs").EnumerateArray().Skip(1), v => Assert.True(v.GetDouble() <= 0));
        Assert.All(logprobs.GetProperty("top_logprobs").EnumerateArray().Skip(1), top => Assert.Equal(2, top.EnumerateObject().Count()));
        Assert.Equal(3, Usage(body, "completion_tokens"));
    }

    [Fact]
    public async Task Completions_EchoLogprobsMaxTokensZero_ScoresThePromptOnly()
    {
        using var client = new SimTestClient();
        var (_, body, _) = await client.PostAsync(Path, Body("\"The cat sat\"", extra: ",\"echo\":true,\"logprobs\":0,\"max_tokens\":0"));

        AssertValidEchoedLogprobs(body);
        Assert.Equal("The cat sat", Text(body, 0));
        Assert.Equal("length", FinishReason(body, 0));
        var logprobs = body.GetProperty("choices")[0].GetProperty("logprobs");
        Assert.Equal(["The", " cat", " sat"], logprobs.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(0, Usage(body, "completion_tokens"));
    }

    [Fact]
    public async Task Completions_EchoNonAsciiPrompt_TextOffsetsCountUtf16Units()
    {
        using var client = new SimTestClient();
        var (_, body, _) = await client.PostAsync(Path, Body("\"h\u00e9llo \ud83d\ude00 w\u00f6rld\"", extra: ",\"echo\":true,\"logprobs\":1,\"max_tokens\":1"));

        var text = Text(body, 0);
        var logprobs = body.GetProperty("choices")[0].GetProperty("logprobs");
        var tokens = logprobs.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()!).ToArray();
        var offsets = logprobs.GetProperty("text_offset").EnumerateArray().Select(o => o.GetInt32()).ToArray();
        Assert.Equal(["h\u00e9llo", " \ud83d\ude00", " w\u00f6rld"], tokens[..3]);
        for (var i = 0; i < tokens.Length; i++)
        {
            Assert.Equal(tokens[i], text.Substring(offsets[i], tokens[i].Length));
        }
    }

    [Fact]
    public async Task Completions_TokenIdPrompt_RenderedAsWordsCountedByIds()
    {
        using var client = new SimTestClient();
        var ids = (await client.PostAsync(Path, Body("[1212,5]", extra: ",\"echo\":true,\"logprobs\":0,\"max_tokens\":2"))).Body;
        var asText = (await client.PostAsync(Path, Body("\" sound9 result\"", extra: ",\"max_tokens\":2"))).Body;

        AssertValidEchoedLogprobs(ids);
        var text = Text(ids, 0);
        Assert.StartsWith(" sound9 result", text, StringComparison.Ordinal);
        Assert.Equal(Text(asText, 0), text[" sound9 result".Length..]);
        // Chat's count for one user message (3 + 3) plus one token per id.
        Assert.Equal(3 + 3 + 2, Usage(ids, "prompt_tokens"));
        var tokens = ids.GetProperty("choices")[0].GetProperty("logprobs").GetProperty("tokens").EnumerateArray().Select(t => t.GetString()).ToArray();
        Assert.Equal([" sound9", " result"], tokens[..2]);
    }

    [Fact]
    public async Task Completions_ArraysOfTokenIds_OnePromptEach()
    {
        using var client = new SimTestClient();
        var (status, body, _) = await client.PostAsync(Path, Body("[[1,2],[3]]", extra: ",\"echo\":true"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, body.GetProperty("choices").GetArrayLength());
        Assert.StartsWith(" model answer", Text(body, 0), StringComparison.Ordinal);
        Assert.StartsWith(" data", Text(body, 1), StringComparison.Ordinal);
        Assert.Equal((3 + 3 + 2) + (3 + 3 + 1), Usage(body, "prompt_tokens"));
    }

    internal static string Body(string prompt, string model = "gpt-4o", string extra = "") =>
        $$"""{"model":"{{model}}","prompt":{{prompt}}{{extra}}}""";

    internal static string Text(JsonElement body, int choice) => body.GetProperty("choices")[choice].GetProperty("text").GetString()!;

    private static string FinishReason(JsonElement body, int choice) => body.GetProperty("choices")[choice].GetProperty("finish_reason").GetString()!;

    private static string Id(JsonElement body) => body.GetProperty("id").GetString()!;

    private static int Usage(JsonElement body, string member) => body.GetProperty("usage").GetProperty(member).GetInt32();

    /// <summary>The spec's <c>CreateCompletionResponse</c>, but with the null that OpenAI's own answers put first in
    /// <c>token_logprobs</c> and <c>top_logprobs</c> of an echoed prompt (the first token has nothing to be predicted from),
    /// which the schema's items do not allow.</summary>
    private static void AssertValidEchoedLogprobs(JsonElement body) =>
        SimSpec.AssertValid(Schema, body, "echoed logprobs", defs =>
        {
            var logprobs = defs[Schema]!["properties"]!["choices"]!["items"]!["properties"]!["logprobs"]!["anyOf"]![0]!.AsObject();
            SimSpec.MakeNullable(logprobs, "properties", "token_logprobs", "items");
            SimSpec.MakeNullable(logprobs, "properties", "top_logprobs", "items");
        });
}
