// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text;
using Charter.Accounting;

namespace Charter.Tests.Accounting;

public sealed class TokenEstimatorTests
{
    // OpenAI cookbook "How to count tokens with tiktoken": these messages cost 124 prompt tokens on gpt-4o / gpt-4o-mini.
    private const string CookbookBody = """
        {"model":"gpt-4o","messages":[
          {"role":"system","content":"You are a helpful, pattern-following assistant that translates corporate jargon into plain English."},
          {"role":"system","name":"example_user","content":"New synergies will help drive top-line growth."},
          {"role":"system","name":"example_assistant","content":"Things working well together will increase revenue."},
          {"role":"system","name":"example_user","content":"Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage."},
          {"role":"system","name":"example_assistant","content":"Let's talk later when we're less busy about how to do better."},
          {"role":"user","content":"This late pivot means we don't have time to boil the ocean for the client deliverable."}
        ],"temperature":0,"max_tokens":1}
        """;

    private readonly TokenEstimator _estimator = new();

    [Theory]
    [InlineData("", 0)]
    [InlineData("Hello world", 2)]
    [InlineData("Hello, world!", 4)]
    public void CountText_KnownStrings_MatchO200k(string text, int expected)
    {
        Assert.Equal(expected, _estimator.CountText(text));
    }

    [Fact]
    public void EstimateChat_CookbookExample_Matches124PromptTokens()
    {
        var estimate = _estimator.EstimateChat(Encoding.UTF8.GetBytes(CookbookBody));

        Assert.True(estimate.IsExact);
        Assert.Equal(124, estimate.PromptTokens);
        Assert.Equal(1, estimate.CompletionAllowance);
        Assert.Equal(125, estimate.AdmissionTokens);
    }

    [Fact]
    public void CountMessages_CookbookExample_AgreesWithBodyParser()
    {
        var messages = new List<(string, string?, string?)>
        {
            ("system", "You are a helpful, pattern-following assistant that translates corporate jargon into plain English.", null),
            ("system", "New synergies will help drive top-line growth.", "example_user"),
            ("system", "Things working well together will increase revenue.", "example_assistant"),
            ("system", "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage.", "example_user"),
            ("system", "Let's talk later when we're less busy about how to do better.", "example_assistant"),
            ("user", "This late pivot means we don't have time to boil the ocean for the client deliverable.", null),
        };

        Assert.Equal(124, _estimator.CountMessages(messages));
    }

    [Fact]
    public void EstimateChat_ContentPartsAndEscapes_CountsDecodedText()
    {
        var parts = """{"messages":[{"role":"user","content":[{"type":"text","text":"Hello world"},{"type":"image_url","image_url":{"url":"data:x"}}]}],"n":2,"max_completion_tokens":100,"max_tokens":5}""";
        var escaped = """{"messages":[{"role":"user","content":"Hello\u0020world"}]}""";

        var a = _estimator.EstimateChat(Encoding.UTF8.GetBytes(parts));
        var b = _estimator.EstimateChat(Encoding.UTF8.GetBytes(escaped));

        var user = _estimator.CountText("user");
        Assert.Equal(3 + user + 2 + TokenEstimator.ImagePartTokens + 3, a.PromptTokens);
        Assert.Equal(100, a.CompletionAllowance);
        Assert.Equal(a.PromptTokens + 200, a.AdmissionTokens);
        Assert.Equal(3 + user + 2 + 3, b.PromptTokens);
        Assert.Equal(256, b.CompletionAllowance);
    }

    [Fact]
    public void EstimateChat_ToolCallsAndLongContent_CountsEveryString()
    {
        var longText = string.Concat(Enumerable.Repeat("token counting is fun. ", 200));
        var body = $$$"""
            {"messages":[{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
            {"role":"tool","tool_call_id":"call_1","content":"{{{longText}}}"}]}
            """;

        var estimate = _estimator.EstimateChat(Encoding.UTF8.GetBytes(body));

        var expected = 3 + 3 + 3
            + _estimator.CountText("assistant") + _estimator.CountText("call_1") + _estimator.CountText("function")
            + _estimator.CountText("get_weather") + _estimator.CountText("{\"city\":\"Paris\"}")
            + _estimator.CountText("tool") + _estimator.CountText("call_1") + _estimator.CountText(longText);
        Assert.Equal(expected, estimate.PromptTokens);
    }

    [Fact]
    public void EstimateChat_InvalidJson_FallsBackToBytesOverFour()
    {
        var estimate = _estimator.EstimateChat("{\"messages\":[tru"u8);

        Assert.False(estimate.IsExact);
        Assert.Equal(4, estimate.PromptTokens);
    }

    [Fact]
    public void CountUtf8_MultiByteText_EqualsCountOfDecodedString()
    {
        const string text = "Grüße aus Köln — 東京でお会いしましょう";

        Assert.Equal(_estimator.CountText(text), _estimator.CountUtf8(Encoding.UTF8.GetBytes(text)));
    }
    [Fact]
    public void EstimateChat_ResponsesBody_CountsInputInstructionsAndMaxOutputTokens()
    {
        var asString = _estimator.EstimateChat("""{"model":"gpt-4o","input":"Hello world","max_output_tokens":40}"""u8);
        var withInstructions = _estimator.EstimateChat("""{"model":"gpt-4o","instructions":"Hello world","input":"Hello world","max_output_tokens":40}"""u8);
        var asItems = _estimator.EstimateChat("""{"model":"gpt-4o","input":[{"role":"user","content":[{"type":"input_text","text":"Hello world"}]}]}"""u8);

        Assert.Equal(2, asString.PromptTokens);
        Assert.Equal(40, asString.CompletionAllowance);
        Assert.True(withInstructions.PromptTokens > asString.PromptTokens + 2);
        // As a message: its overhead, its role and its text part, like the same chat message.
        Assert.Equal(_estimator.EstimateChat("""{"model":"gpt-4o","messages":[{"role":"user","content":[{"type":"text","text":"Hello world"}]}]}"""u8).PromptTokens, asItems.PromptTokens);
    }

    [Fact]
    public void EstimateChat_CompletionsBody_CountsPromptsSuffixTokenIdsAndBestOf()
    {
        var asString = _estimator.EstimateChat("""{"model":"m","prompt":"Hello world","max_tokens":40}"""u8);
        var asStrings = _estimator.EstimateChat("""{"model":"m","prompt":["Hello world","Hello world"]}"""u8);
        var withSuffix = _estimator.EstimateChat("""{"model":"m","prompt":"Hello world","suffix":"Hello world"}"""u8);
        var asTokenIds = _estimator.EstimateChat("""{"model":"m","prompt":[[15496,995],[15496,995,0]],"n":2,"best_of":4}"""u8);

        Assert.Equal(2, asString.PromptTokens);
        Assert.Equal(40, asString.CompletionAllowance);
        Assert.Equal(4, asStrings.PromptTokens);
        Assert.True(withSuffix.PromptTokens >= 4);
        Assert.Equal(5, asTokenIds.PromptTokens);
        Assert.Equal(4, asTokenIds.Choices);
    }

    [Fact]
    public void EstimateChat_MessagesBody_CountsTheSystemPromptAsStringOrBlocks()
    {
        var bare = _estimator.EstimateChat("""{"model":"m","max_tokens":100,"messages":[{"role":"user","content":"Hello world"}]}"""u8);
        var asString = _estimator.EstimateChat("""{"model":"m","max_tokens":100,"system":"Hello world","messages":[{"role":"user","content":"Hello world"}]}"""u8);
        var asBlocks = _estimator.EstimateChat("""{"model":"m","max_tokens":100,"system":[{"type":"text","text":"Hello world"}],"messages":[{"role":"user","content":"Hello world"}]}"""u8);

        Assert.Equal(100, bare.CompletionAllowance);
        Assert.True(asString.PromptTokens >= bare.PromptTokens + 2, $"{asString.PromptTokens} vs {bare.PromptTokens}");
        Assert.True(asBlocks.PromptTokens >= asString.PromptTokens, $"{asBlocks.PromptTokens} vs {asString.PromptTokens}");
    }
}
