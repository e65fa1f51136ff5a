// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Net;
using System.Text.Json;
using Charter.Sim;

namespace Charter.Tests.Sim;

/// <summary>OpenAI's Moderations API on the simulator: answers valid against the spec's <c>CreateModerationResponse</c>, deterministic
/// scores, one result per string, the marker words, multi-modal input and the default model.</summary>
public sealed partial class SimulatorModerationsTests
{
    private const string Path = "/v1/moderations";
    private const string Schema = "CreateModerationResponse";

    /// <summary>The 13 categories in the answer's order.</summary>
    private static readonly string[] s_categories =
    [
        "harassment", "harassment/threatening", "hate", "hate/threatening", "illicit", "illicit/violent", "self-harm",
        "self-harm/intent", "self-harm/instructions", "sexual", "sexual/minors", "violence", "violence/graphic",
    ];

    /// <summary>The categories OpenAI also scores images for.</summary>
    private static readonly string[] s_imageCategories = ["self-harm", "self-harm/intent", "self-harm/instructions", "sexual", "violence", "violence/graphic"];

    [Fact]
    public async Task Moderations_StringInput_SpecValidOneUnflaggedResultWithDefaultModel()
    {
        using var client = new SimTestClient();
        var (status, body, response) = await client.PostAsync(Path, """{"input":"The weather is lovely today."}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        SimSpec.AssertValid(Schema, body);
        Assert.StartsWith("modr-", body.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("omni-moderation-latest", body.GetProperty("model").GetString());
        Assert.Equal(["id", "model", "results"], body.EnumerateObject().Select(p => p.Name));
        var result = Assert.Single(body.GetProperty("results").EnumerateArray());
        Assert.False(result.GetProperty("flagged").GetBoolean());
        Assert.Equal(s_categories, result.GetProperty("categories").EnumerateObject().Select(p => p.Name));
        Assert.All(result.GetProperty("categories").EnumerateObject(), p => Assert.False(p.Value.GetBoolean()));
        Assert.Equal(s_categories, result.GetProperty("category_scores").EnumerateObject().Select(p => p.Name));
        Assert.All(Scores(result), s => Assert.InRange(s, 0, 0.05));
        Assert.All(result.GetProperty("category_applied_input_types").EnumerateObject(), p => Assert.Equal(["text"], Strings(p.Value)));
    }

    [Fact]
    public async Task Moderations_SameRequest_SameScoresButIdsUniqueAcrossRequestsAndSimulators()
    {
        using var client = new SimTestClient();
        using var other = new SimTestClient();
        const string json = """{"input":"A quiet walk by the river.","model":"omni-moderation-2024-09-26"}""";
        var first = (await client.PostAsync(Path, json)).Body;
        var second = (await client.PostAsync(Path, json)).Body;
        var elsewhere = (await other.PostAsync(Path, json)).Body;

        Assert.Equal(Scores(Result(first, 0)), Scores(Result(second, 0)));
        Assert.Equal(Scores(Result(first, 0)), Scores(Result(elsewhere, 0)));
        Assert.Equal(Result(first, 0).GetRawText(), Result(elsewhere, 0).GetRawText());
        var ids = new[] { first, second, elsewhere }.Select(b => b.GetProperty("id").GetString()).ToArray();
        Assert.Equal(3, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task Moderations_OtherTextModelOrSeed_OtherScores()
    {
        using var client = new SimTestClient();
        using var seeded = new SimTestClient(new SimulatorOptions { Seed = 7 });
        var baseline = Scores(Result((await client.PostAsync(Path, """{"input":"hello"}""")).Body, 0));
        var otherText = Scores(Result((await client.PostAsync(Path, """{"input":"hello!"}""")).Body, 0));
        var otherModel = Scores(Result((await client.PostAsync(Path, """{"input":"hello","model":"text-moderation-latest"}""")).Body, 0));
        var otherSeed = Scores(Result((await seeded.PostAsync(Path, """{"input":"hello"}""")).Body, 0));

        Assert.NotEqual(baseline, otherText);
        Assert.NotEqual(baseline, otherModel);
        Assert.NotEqual(baseline, otherSeed);
        Assert.All(otherText.Concat(otherModel).Concat(otherSeed), s => Assert.InRange(s, 0, 0.05));
    }

    [Fact]
    public async Task Moderations_ArrayOfStrings_OneResultPerStringInOrder()
    {
        using var client = new SimTestClient();
        var (status, body, _) = await client.PostAsync(Path, """{"input":["alpha","I will kill you","alpha",""]}""");
        var alone = (await client.PostAsync(Path, """{"input":"alpha"}""")).Body;

        Assert.Equal(HttpStatusCode.OK, status);
        SimSpec.AssertValid(Schema, body);
        Assert.Equal(4, body.GetProperty("results").GetArrayLength());
        Assert.Equal(Result(alone, 0).GetRawText(), Result(body, 0).GetRawText());
        Assert.Equal(Result(body, 0).GetRawText(), Result(body, 2).GetRawText());
        Assert.False(Result(body, 0).GetProperty("flagged").GetBoolean());
        Assert.True(Result(body, 1).GetProperty("flagged").GetBoolean());
        Assert.False(Result(body, 3).GetProperty("flagged").GetBoolean());
        Assert.NotEqual(Scores(Result(body, 0)), Scores(Result(body, 3)));
    }

    [Theory]
    [InlineData("idiot", "harassment")]
    [InlineData("threaten", "harassment/threatening")]
    [InlineData("hate", "hate")]
    [InlineData("exterminate", "hate/threatening")]
    [InlineData("shoplift", "illicit")]
    [InlineData("bomb", "illicit/violent")]
    [InlineData("suicide", "self-harm")]
    [InlineData("overdose", "self-harm/intent")]
    [InlineData("noose", "self-harm/instructions")]
    [InlineData("nude", "sexual")]
    [InlineData("underage", "sexual/minors")]
    [InlineData("kill", "violence")]
    [InlineData("gore", "violence/graphic")]
    public async Task Moderations_MarkerWord_FlagsItsCategoryAloneWithAHighScore(string marker, string category)
    {
        using var client = new SimTestClient();
        var (status, body, _) = await client.PostAsync(Path, $$"""{"input":"Well, {{marker.ToUpperInvariant()}}: I said {{marker}}."}""");

        Assert.Equal(HttpStatusCode.OK, status);
        SimSpec.AssertValid(Schema, body);
        var result = Result(body, 0);
        Assert.True(result.GetProperty("flagged").GetBoolean());
        foreach (var name in s_categories)
        {
            var flagged = result.GetProperty("categories").GetProperty(name).GetBoolean();
            var score = result.GetProperty("category_scores").GetProperty(name).GetDouble();
            Assert.Equal(name == category, flagged);
            if (name == category)
            {
                Assert.InRange(score, 0.9, 1.0);
                Assert.NotEqual(0.9, score);
            }
            else
            {
                Assert.InRange(score, 0, 0.05);
            }
        }
    }

    [Fact]
    public async Task Moderations_SpecsExample_FlagsViolence()
    {
        using var client = new SimTestClient();
        var (_, body, _) = await client.PostAsync(Path, """{"input":"I want to kill them."}""");

        var result = Result(body, 0);
        Assert.True(result.GetProperty("flagged").GetBoolean());
        Assert.True(result.GetProperty("categories").GetProperty("violence").GetBoolean());
        Assert.True(result.GetProperty("category_scores").GetProperty("violence").GetDouble() > 0.9);
    }

    [Fact]
    public async Task Moderations_SeveralMarkers_FlagEachOfTheirCategories()
    {
        using var client = new SimTestClient();
        var (_, body, _) = await client.PostAsync(Path, """{"input":"hate, kill\nand\tgore"}""");

        var categories = Result(body, 0).GetProperty("categories");
        Assert.Equal(["hate", "violence", "violence/graphic"], s_categories.Where(c => categories.GetProperty(c).GetBoolean()));
    }

    [Theory]
    [InlineData("skills")]
    [InlineData("hateful")]
    [InlineData("killé")]
    [InlineData("kill2")]
    [InlineData("gores")]
    public async Task Moderations_MarkerOnlyPartOfAWord_NotFlagged(string text)
    {
        using var client = new SimTestClient();
        var (_, body, _) = await client.PostAsync(Path, $$"""{"input":{{JsonSerializer.Serialize(text)}}}""");

        Assert.False(Result(body, 0).GetProperty("flagged").GetBoolean());
        Assert.All(Scores(Result(body, 0)), s => Assert.InRange(s, 0, 0.05));
    }

    [Fact]
    public async Task Moderations_EscapedMarker_Flagged()
    {
        using var client = new SimTestClient();
        var (_, body, _) = await client.PostAsync(Path, """{"input":"\u006bill"}""");

        Assert.True(Result(body, 0).GetProperty("categories").GetProperty("violence").GetBoolean());
    }

    [Fact]
    public async Task Moderations_SimulatedAnswers_NeverFlagged()
    {
        using var client = new SimTestClient();
        var texts = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var chat = (await client.PostAsync("/v1/chat/completions", SimTestClient.Chat("Question " + i))).Body;
            texts.Add(SimulatorChatTests.Content(chat, 0));
        }

        var (_, body, _) = await client.PostAsync(Path, JsonSerializer.Serialize(new { input = texts }));

        Assert.Equal(20, body.GetProperty("results").GetArrayLength());
        Assert.All(body.GetProperty("results").EnumerateArray(), r => Assert.False(r.GetProperty("flagged").GetBoolean()));
    }

    [Fact]
    public async Task Moderations_TextAndImage_OneResultWithImageAppliedToItsCategories()
    {
        using var client = new SimTestClient();
        const string json = """
            {"model":"omni-moderation-latest","input":[
              {"type":"text","text":"...text to classify goes here..."},
              {"type":"image_url","image_url":{"url":"https://example.com/image.png"}}]}
            """;
        var (status, body, _) = await client.PostAsync(Path, json);

        Assert.Equal(HttpStatusCode.OK, status);
        SimSpec.AssertValid(Schema, body);
        var result = Assert.Single(body.GetProperty("results").EnumerateArray());
        Assert.False(result.GetProperty("flagged").GetBoolean());
        foreach (var category in s_categories)
        {
            string[] expected = s_imageCategories.Contains(category) ? ["text", "image"] : ["text"];
            Assert.Equal(expected, Strings(result.GetProperty("category_applied_input_types").GetProperty(category)));
        }
    }

    [Fact]
    public async Task Moderations_ImageOnly_TextCategoriesApplyToNothing()
    {
        using var client = new SimTestClient();
        var (status, body, _) = await client.PostAsync(Path, """{"input":[{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]}""");

        Assert.Equal(HttpStatusCode.OK, status);
        SimSpec.AssertValid(Schema, body);
        var result = Result(body, 0);
        Assert.False(result.GetProperty("flagged").GetBoolean());
        foreach (var category in s_categories)
        {
            string[] expected = s_imageCategories.Contains(category) ? ["image"] : [];
            Assert.Equal(expected, Strings(result.GetProperty("category_applied_input_types").GetProperty(category)));
        }
    }

    [Fact]
    public async Task Moderations_MultiModalParts_MarkersOfAnyTextPartFlagTheOneResult()
    {
        using var client = new SimTestClient();
        const string json = """
            {"input":[{"text":"nothing here","type":"text"},{"type":"image_url","image_url":{"url":"https://example.com/a.png"}},
              {"type":"text","text":"a nude picture"}]}
            """;
        var (_, body, _) = await client.PostAsync(Path, json);

        var result = Assert.Single(body.GetProperty("results").EnumerateArray());
        Assert.True(result.GetProperty("flagged").GetBoolean());
        Assert.Equal(["sexual"], s_categories.Where(c => result.GetProperty("categories").GetProperty(c).GetBoolean()));
    }

    [Fact]
    public async Task Moderations_LoneTextPart_ScoresAsTheSameString()
    {
        using var client = new SimTestClient();
        var plain = (await client.PostAsync(Path, """{"input":"same words"}""")).Body;
        var part = (await client.PostAsync(Path, """{"input":[{"type":"text","text":"same words"}]}""")).Body;
        var withImage = (await client.PostAsync(Path, """{"input":[{"type":"text","text":"same words"},{"type":"image_url","image_url":{"url":"https://x.test/1.png"}}]}""")).Body;
        var otherImage = (await client.PostAsync(Path, """{"input":[{"type":"text","text":"same words"},{"type":"image_url","image_url":{"url":"https://x.test/2.png"}}]}""")).Body;

        Assert.Equal(Result(plain, 0).GetRawText(), Result(part, 0).GetRawText());
        Assert.NotEqual(Scores(Result(plain, 0)), Scores(Result(withImage, 0)));
        Assert.NotEqual(Scores(Result(withImage, 0)), Scores(Result(otherImage, 0)));
    }

    [Theory]
    [InlineData("omni-moderation-latest")]
    [InlineData("text-moderation-stable")]
    [InlineData("my-moderation-deployment")]
    public async Task Moderations_ModelGiven_EchoedInTheAnswer(string model)
    {
        using var client = new SimTestClient();
        var (status, body, _) = await client.PostAsync(Path, $$"""{"model":"{{model}}","input":"x"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(model, body.GetProperty("model").GetString());
    }

    [Fact]
    public async Task Moderations_DefaultModel_ScoresAsOmniModerationLatestGivenExplicitly()
    {
        using var client = new SimTestClient();
        var implicitModel = (await client.PostAsync(Path, """{"input":"x"}""")).Body;
        var explicitModel = (await client.PostAsync(Path, """{"input":"x","model":"omni-moderation-latest"}""")).Body;

        Assert.Equal(Result(explicitModel, 0).GetRawText(), Result(implicitModel, 0).GetRawText());
    }

    [Fact]
    public async Task Moderations_TimeToFirstToken_AnswerWaitsForTheClock()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20000));
        using var client = new SimTestClient(new SimulatorOptions { TimeToFirstTokenMs = 500 }, clock);
        var pending = client.PostAsync(Path, """{"input":"x"}""");

        Assert.False(pending.IsCompleted);
        for (var i = 0; i < 10_000 && !pending.IsCompleted; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(50));
            await Task.WhenAny(pending, Task.Delay(1, SimTestClient.Ct));
        }

        Assert.Equal(HttpStatusCode.OK, (await pending).Status);
    }

    private static JsonElement Result(JsonElement body, int index) => body.GetProperty("results")[index];

    private static double[] Scores(JsonElement result) =>
        [.. result.GetProperty("category_scores").EnumerateObject().Select(p => p.Value.GetDouble())];

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(v => v.GetString()!)];
}
