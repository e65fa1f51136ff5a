// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.ClientModel;
using System.Text;
using System.Text.Json;
using Charter.FunctionalTests.Conformance;
using Charter.FunctionalTests.Infrastructure;
using Charter.Hosting;
using Charter.Tests.Common;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace Charter.FunctionalTests.Azure;

/// <summary>An <c>azure-openai</c> account in front of the simulator's Azure URL forms, driven with the OpenAI SDK.</summary>
public sealed class AzureRouteTests
{
    private const string AccountKey = "azure-account-key-0123456789";
    private const string ChatDeployment = "prod-gpt4o";
    private const string EmbeddingDeployment = "prod-embed";

    [Fact]
    public async Task CompleteChat_DeploymentsRoute_DeploymentUrlApiVersionAndApiKeyHeader()
    {
        await using var proxy = await RecordingProxy.StartAsync();
        await using var gw = await TestGateway.StartAsync(Azure(proxy));
        var (key, _) = await gw.CreateKeyAsync();

        ChatCompletion completion = await Sdk.Chat(gw, key, "gpt-4o").CompleteChatAsync([new UserChatMessage("Say hello.")], new ChatCompletionOptions { MaxOutputTokenCount = 8 });

        Assert.False(string.IsNullOrWhiteSpace(completion.Content[0].Text));
        Assert.Equal(ChatDeployment, completion.Model); // Azure classic: the sim answers with the deployment name
        var seen = Assert.Single(proxy.Requests);
        Assert.Equal("POST", seen.Method);
        Assert.Equal($"/openai/deployments/{ChatDeployment}/chat/completions?api-version=2024-10-21", seen.PathAndQuery);
        Assert.Equal(AccountKey, seen.ApiKey);
        Assert.Null(seen.Authorization); // neither the client's ck- key nor a bearer form of the account key goes upstream
    }

    [Fact]
    public async Task CompleteChat_V1Route_BodyModelIsDeploymentAndApiKeyHeader()
    {
        await using var proxy = await RecordingProxy.StartAsync();
        await using var gw = await TestGateway.StartAsync(Azure(proxy, route: "v1"));
        var (key, _) = await gw.CreateKeyAsync();

        ChatCompletion completion = await Sdk.Chat(gw, key, "gpt-4o").CompleteChatAsync([new UserChatMessage("Say hello.")], new ChatCompletionOptions { MaxOutputTokenCount = 8 });

        Assert.False(string.IsNullOrWhiteSpace(completion.Content[0].Text));
        var seen = Assert.Single(proxy.Requests);
        Assert.StartsWith("/openai/v1/chat/completions", seen.PathAndQuery, StringComparison.Ordinal);
        using var body = JsonDocument.Parse(seen.Body);
        Assert.Equal(ChatDeployment, body.RootElement.GetProperty("model").GetString());
        Assert.Equal(ChatDeployment, completion.Model); // the v1 sim echoes the body model
        Assert.Equal(AccountKey, seen.ApiKey);
        Assert.Null(seen.Authorization);
    }

    [Theory]
    [InlineData("deployments", "/openai/deployments/prod-gpt4o/completions?api-version=2024-10-21")]
    [InlineData("v1", "/openai/v1/completions")]
    public async Task Completions_EitherAzureRoute_GoesToThatRoutesCompletionsUrl(string route, string path)
    {
        await using var proxy = await RecordingProxy.StartAsync();
        await using var gw = await TestGateway.StartAsync(Azure(proxy, route: route));
        var (key, _) = await gw.CreateKeyAsync();

        var (status, text, _) = await GatewayWire.PostAsync(gw, "v1/completions", key, """{"model":"gpt-4o","prompt":"Say hello.","max_tokens":8}""");

        Assert.Equal(200, status);
        Assert.Empty(OpenApiSpec.Shared.Validate("CreateCompletionResponse", text));
        var seen = Assert.Single(proxy.Requests);
        Assert.Equal(path, seen.PathAndQuery);
        Assert.Equal(AccountKey, seen.ApiKey);
        Assert.Null(seen.Authorization);
    }

    [Fact]
    public async Task Moderations_ModelServedOnlyByAzure_400AndNothingSent()
    {
        // Azure OpenAI has no moderations endpoint (its content filters run on every request instead).
        await using var proxy = await RecordingProxy.StartAsync();
        await using var gw = await TestGateway.StartAsync(Azure(proxy, route: "v1"));
        var (key, _) = await gw.CreateKeyAsync();

        var (status, text, _) = await GatewayWire.PostAsync(gw, "v1/moderations", key, """{"model":"gpt-4o","input":"x"}""");

        Assert.Equal(400, status);
        Assert.Contains("Azure OpenAI has no moderations endpoint", text, StringComparison.Ordinal);
        Assert.Empty(proxy.Requests);
    }

    [Theory]
    [InlineData("deployments")]
    [InlineData("v1")]
    public async Task CreateResponse_EitherAzureRoute_GoesToTheV1ResponsesUrlWithTheDeploymentAsModel(string route)
    {
        // Azure serves the Responses API on its v1 route only, whichever route the account uses for chat.
        await using var proxy = await RecordingProxy.StartAsync();
        await using var gw = await TestGateway.StartAsync(Azure(proxy, route: route));
        var (key, _) = await gw.CreateKeyAsync();

        var (status, text, _) = await GatewayWire.PostAsync(gw, "v1/responses", key, """{"model":"gpt-4o","input":"Say hello.","max_output_tokens":16}""");

        Assert.Equal(200, status);
        Assert.Empty(OpenApiSpec.Shared.Validate("Response", text));
        var seen = Assert.Single(proxy.Requests);
        Assert.Equal("/openai/v1/responses", seen.PathAndQuery);
        Assert.Equal(AccountKey, seen.ApiKey);
        Assert.Null(seen.Authorization);
        using var body = JsonDocument.Parse(seen.Body);
        Assert.Equal(ChatDeployment, body.RootElement.GetProperty("model").GetString());
    }

    [Theory]
    [InlineData("deployments", "/openai/deployments/prod-embed/embeddings?api-version=2024-10-21")]
    [InlineData("v1", "/openai/v1/embeddings")]
    public async Task GenerateEmbedding_AzureRoutes_VectorOfRequestedSize(string route, string expectedPath)
    {
        await using var proxy = await RecordingProxy.StartAsync();
        await using var gw = await TestGateway.StartAsync(Azure(proxy, route: route));
        var (key, _) = await gw.CreateKeyAsync();

        OpenAIEmbedding embedding = await Sdk.Embeddings(gw, key).GenerateEmbeddingAsync("hello world", new EmbeddingGenerationOptions { Dimensions = 16 });

        Assert.Equal(16, embedding.ToFloats().Length);
        var seen = Assert.Single(proxy.Requests);
        Assert.Equal(expectedPath, seen.PathAndQuery);
        Assert.Equal(AccountKey, seen.ApiKey);
        using var body = JsonDocument.Parse(seen.Body);
        Assert.Equal(EmbeddingDeployment, body.RootElement.GetProperty("model").GetString());
    }

    [Theory]
    [InlineData("deployments")]
    [InlineData("v1")]
    public async Task CompleteChatStreaming_PromptFilterChunkFirst_SdkCopesAndGetsContent(string route)
    {
        await using var gw = await TestGateway.StartAsync(Azure(null, route: route));
        var (key, _) = await gw.CreateKeyAsync();
        var text = new StringBuilder();
        ChatFinishReason? finish = null;

        await foreach (var update in Sdk.Chat(gw, key, "gpt-4o").CompleteChatStreamingAsync([new UserChatMessage("Say hello.")], new ChatCompletionOptions { MaxOutputTokenCount = 8 }, TestContext.Current.CancellationToken))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            finish ??= update.FinishReason;
        }

        Assert.False(string.IsNullOrWhiteSpace(text.ToString()));
        Assert.Equal(ChatFinishReason.Length, finish);
    }

    [Fact]
    public async Task CompleteChatStreaming_Raw_PromptFilterChunkDropped_EveryChunkMatchesSpec()
    {
        await using var gw = await TestGateway.StartAsync(Azure(null));
        var (key, _) = await gw.CreateKeyAsync();

        var (status, sse, _) = await GatewayWire.PostAsync(gw, "v1/chat/completions", key, GatewayWire.ChatBody("gpt-4o", ",\"stream\":true"));

        Assert.Equal(200, status);
        var events = GatewayWire.DataEvents(sse);
        Assert.Equal("[DONE]", events[^1]);

        // Azure's leading prompt-filter chunk (object "", id "", choices []) is not a valid OpenAI chunk: the gateway
        // does not relay it, so every chunk the client sees conforms.
        Assert.DoesNotContain("prompt_filter_results", sse, StringComparison.Ordinal);
        var contentChunks = 0;
        foreach (var chunk in events.Take(events.Count - 1))
        {
            Assert.Empty(OpenApiSpec.Shared.Validate("CreateChatCompletionStreamResponse", chunk));
            contentChunks++;
        }

        Assert.True(contentChunks >= 2, sse);
        Assert.DoesNotContain("\"usage\":{", sse, StringComparison.Ordinal); // the client did not ask for usage
    }

    [Fact]
    public async Task CompleteChat_ConfiguredApiVersion_SentVerbatim()
    {
        await using var proxy = await RecordingProxy.StartAsync();
        await using var gw = await TestGateway.StartAsync(Azure(proxy, apiVersion: "2024-06-01"));
        var (key, _) = await gw.CreateKeyAsync();

        await Sdk.Chat(gw, key, "gpt-4o").CompleteChatAsync([new UserChatMessage("hi")]);

        Assert.EndsWith("/chat/completions?api-version=2024-06-01", Assert.Single(proxy.Requests).PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_EmptyApiVersionOnDeploymentsRoute_RefusedWithConfigurationError()
    {
        // Every classic-route call would 404 upstream: the gateway refuses the configuration at start-up instead.
        var ex = await Assert.ThrowsAsync<Charter.Hosting.CharterConfigurationException>(() => TestGateway.StartAsync(Azure(null, apiVersion: string.Empty)));

        Assert.Contains(ex.Errors, e => e.Contains("ApiVersion", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CompleteChat_AccountWithoutKey_NoCredentialSent_Upstream401PassedThrough()
    {
        await using var proxy = await RecordingProxy.StartAsync();
        await using var gw = await TestGateway.StartAsync(Azure(proxy, apiKey: null));
        var (key, _) = await gw.CreateKeyAsync();

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => Sdk.Chat(gw, key, "gpt-4o").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(401, ex.Status);
        Assert.Empty(OpenApiSpec.Shared.Validate("ErrorResponse", ex.GetRawResponse()!.Content.ToString()));
        var seen = Assert.Single(proxy.Requests);
        Assert.Null(seen.ApiKey);
        Assert.Null(seen.Authorization); // the client's own ck- key is never forwarded
    }

    /// <summary>One azure-openai account (directly on the sim, or through <paramref name="proxy"/>) serving gpt-4o and
    /// text-embedding-3-small through deployments.</summary>
    private static Action<CharterHostSettings> Azure(RecordingProxy? proxy, string route = "deployments", string? apiKey = AccountKey, string? apiVersion = null) => s =>
    {
        // s.Upstream is the simulator's OpenAI base (…/v1); Azure URLs hang off its root.
        var simRoot = s.Upstream![..s.Upstream!.LastIndexOf("/v1", StringComparison.Ordinal)];
        if (proxy is not null)
        {
            proxy.Target = new Uri(simRoot + "/");
        }

        s.Overrides["Providers:Accounts:0:Id"] = "azure";
        s.Overrides["Providers:Accounts:0:Kind"] = "azure-openai";
        s.Overrides["Providers:Accounts:0:BaseUrl"] = proxy?.BaseUrl ?? simRoot;
        s.Overrides["Providers:Accounts:0:AzureRoute"] = route;
        s.Overrides["Providers:Accounts:0:Deployments:gpt-4o"] = ChatDeployment;
        s.Overrides["Providers:Accounts:0:Deployments:text-embedding-3-small"] = EmbeddingDeployment;
        if (apiKey is not null)
        {
            s.Overrides["Providers:Accounts:0:ApiKey"] = apiKey;
        }

        if (apiVersion is not null)
        {
            s.Overrides["Providers:Accounts:0:ApiVersion"] = apiVersion;
        }

        s.Overrides["Providers:Models:0:Name"] = "gpt-4o";
        s.Overrides["Providers:Models:0:Targets:0:Account"] = "azure";
        s.Overrides["Providers:Models:1:Name"] = "text-embedding-3-small";
        s.Overrides["Providers:Models:1:Targets:0:Account"] = "azure";
    };
}
