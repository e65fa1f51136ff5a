// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.ClientModel;
using System.Text.Json;
using Charter.FunctionalTests.Anthropic;
using Charter.FunctionalTests.Azure;
using Charter.FunctionalTests.Conformance;
using Charter.FunctionalTests.Infrastructure;
using Charter.Hosting;
using Charter.Tests.Common;
using OpenAI.Moderations;

namespace Charter.FunctionalTests.Moderations;

/// <summary><c>POST /v1/moderations</c> through the gateway, driven by the official OpenAI .NET SDK's moderation client.</summary>
public sealed class ModerationsTests
{
    [Fact]
    public async Task ClassifyText_OpenAiSdk_FlaggedAnswerAndARecordWithTheInputHashed()
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, keyId) = await gw.CreateKeyAsync();
        var client = new ModerationClient("omni-moderation-latest", new ApiKeyCredential(key), Sdk.Options(gw));

        ModerationResult violent = await client.ClassifyTextAsync("I want to kill them.", TestContext.Current.CancellationToken);
        ModerationResult calm = await client.ClassifyTextAsync("What a calm harbour.", TestContext.Current.CancellationToken);

        Assert.True(violent.Flagged);
        Assert.True(violent.Violence.Flagged);
        Assert.False(calm.Flagged);
        Assert.Equal(2, gw.Simulator.RequestCountFor("openai", "moderations"));
        var records = await GatewayRecords.AllAsync(gw);
        Assert.Equal(2, records.Count);
        Assert.All(records, r =>
        {
            Assert.Equal(("moderations", 200, keyId, "omni-moderation-latest"), (r.Endpoint, r.Status, r.Key, r.Model));
            Assert.DoesNotContain("harbour", r.RequestJson, StringComparison.Ordinal);
            Assert.DoesNotContain("kill", r.RequestJson, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Moderations_NoModelInTheBody_ConformsAndIsSentWithoutOne()
    {
        await using var proxy = await RecordingProxy.StartAsync();
        await using var gw = await TestGateway.StartAsync(Compatible(proxy, alias: null));
        var (key, _) = await gw.CreateKeyAsync();

        var (status, text, _) = await GatewayWire.PostAsync(gw, "v1/moderations", key, """{"input":["I hate this.","Fine weather."]}""");

        Assert.Equal(200, status);
        Assert.Empty(OpenApiSpec.Shared.Validate("CreateModerationResponse", text));
        using var answer = JsonDocument.Parse(text);
        Assert.Equal([true, false], answer.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("flagged").GetBoolean()));
        var seen = Assert.Single(proxy.Requests);
        Assert.Equal("/v1/moderations", seen.PathAndQuery);
        using var sent = JsonDocument.Parse(seen.Body);
        Assert.False(sent.RootElement.TryGetProperty("model", out _));
        Assert.Equal("omni-moderation-latest", Assert.Single(await GatewayRecords.AllAsync(gw)).Model);
    }

    [Fact]
    public async Task Moderations_NoModelAndARouteToAnotherUpstreamModel_TheRoutesModelIsAdded()
    {
        await using var proxy = await RecordingProxy.StartAsync();
        await using var gw = await TestGateway.StartAsync(Compatible(proxy, alias: "text-moderation-007"));
        var (key, _) = await gw.CreateKeyAsync();

        var (status, _, _) = await GatewayWire.PostAsync(gw, "v1/moderations", key, """{"input":"Fine weather."}""");

        Assert.Equal(200, status);
        using var sent = JsonDocument.Parse(Assert.Single(proxy.Requests).Body);
        Assert.Equal("text-moderation-007", sent.RootElement.GetProperty("model").GetString());
        Assert.Equal("Fine weather.", sent.RootElement.GetProperty("input").GetString());
    }

    [Fact]
    public async Task Moderations_LongInputInFlightUnderATinyTokensPerMinuteLimit_HoldsNoTokensFromAChat()
    {
        // Tokens per minute are charged on an estimate while a request is in flight. A moderation is free and generates
        // nothing: it counts as a request only, so a long one in flight leaves the window to the chat beside it.
        await using var gw = await TestGateway.StartAsync(s => s.Overrides["limits:key_defaults:tokens_per_minute"] = "50",
            sim: o => o.TimeToFirstTokenMs = 1500);
        var (key, _) = await gw.CreateKeyAsync();
        var text = string.Join(' ', Enumerable.Repeat("harbour", 200));

        var moderation = GatewayWire.PostAsync(gw, "v1/moderations", key, $$"""{"input":"{{text}}"}""");
        for (var i = 0; i < 200 && gw.Simulator.RequestCount == 0; i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken); // until the moderation is admitted and upstream
        }

        var (chat, body, _) = await GatewayWire.PostAsync(gw, "v1/chat/completions", key, GatewayWire.ChatBody(maxTokens: 4));

        Assert.True(chat == 200, body);
        Assert.Equal(200, (await moderation).Status);
    }

    [Theory]
    [InlineData("""{"model":"omni-moderation-latest"}""", "input")]
    [InlineData("""{"input":12}""", "input")]
    public async Task Moderations_InvalidBody_400WithParamAndNothingForwarded(string body, string param)
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, _) = await gw.CreateKeyAsync();

        var (status, text, _) = await GatewayWire.PostAsync(gw, "v1/moderations", key, body);

        Assert.Equal(400, status);
        using var doc = JsonDocument.Parse(text);
        Assert.Equal(param, doc.RootElement.GetProperty("error").GetProperty("param").GetString());
        Assert.Equal(0, gw.Simulator.RequestCount);
    }

    [Fact]
    public async Task Moderations_ModelServedOnlyByAnthropic_400AndNothingSent()
    {
        await using var gw = await TestGateway.StartAsync(AnthropicAccount.Settings(null));
        var (key, _) = await gw.CreateKeyAsync();

        var (status, text, _) = await GatewayWire.PostAsync(gw, "v1/moderations", key, $$"""{"model":"{{AnthropicAccount.Model}}","input":"x"}""");

        Assert.Equal(400, status);
        Assert.Contains("Anthropic has no moderations endpoint", text, StringComparison.Ordinal);
        Assert.Equal(0, gw.Simulator.RequestCount);
    }

    // An openai-compatible account in front of the simulator through the recording proxy; with an alias, the default
    // moderation model routes to that upstream model.
    private static Action<CharterHostSettings> Compatible(RecordingProxy proxy, string? alias) => s =>
    {
        var simRoot = s.Upstream![..s.Upstream!.LastIndexOf("/v1", StringComparison.Ordinal)];
        proxy.Target = new Uri(simRoot + "/");
        s.Overrides["Providers:Accounts:0:Id"] = "compatible";
        s.Overrides["Providers:Accounts:0:Kind"] = "openai-compatible";
        s.Overrides["Providers:Accounts:0:BaseUrl"] = proxy.BaseUrl + "/v1";
        s.Overrides["Providers:Models:0:Name"] = "omni-moderation-latest";
        s.Overrides["Providers:Models:0:Targets:0:Account"] = "compatible";
        if (alias is not null)
        {
            s.Overrides["Providers:Models:0:Targets:0:Model"] = alias;
        }
    };
}
