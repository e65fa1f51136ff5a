// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Net;
using System.Text.Json;

namespace Charter.Tests.Sim;

public sealed class SimulatorAzureTests
{
    private const string Body = """{"messages":[{"role":"user","content":"Hello"}],"max_tokens":4}""";

    [Fact]
    public async Task AzureClassic_NoApiVersion_404()
    {
        using var client = new SimTestClient();
        var (status, body, _) = await client.PostAsync("/openai/deployments/prod-4o/chat/completions", Body, r => r.Headers.Add("api-key", "k"));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("api-version", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AzureClassic_NoApiKey_401()
    {
        using var client = new SimTestClient();
        var (status, _, _) = await client.PostAsync("/openai/deployments/prod-4o/chat/completions?api-version=2024-10-21", Body);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task AzureClassic_Valid_ModelIsDeploymentWithFilterAnnotations()
    {
        using var client = new SimTestClient();
        var (status, body, _) = await client.PostAsync("/openai/deployments/prod-4o/chat/completions?api-version=2024-10-21", Body, r => r.Headers.Add("api-key", "k"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("prod-4o", body.GetProperty("model").GetString());
        Assert.Equal(0, body.GetProperty("prompt_filter_results")[0].GetProperty("prompt_index").GetInt32());
        Assert.False(body.GetProperty("choices")[0].GetProperty("content_filter_results").GetProperty("hate").GetProperty("filtered").GetBoolean());
        Assert.Equal(4, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task AzureClassic_Embeddings_Works()
    {
        using var client = new SimTestClient();
        var (status, body, _) = await client.PostAsync("/openai/deployments/emb/embeddings?api-version=2024-10-21", """{"input":"x","dimensions":16}""", r => r.Headers.Add("api-key", "k"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(16, body.GetProperty("data")[0].GetProperty("embedding").GetArrayLength());
    }

    [Fact]
    public async Task AzureV1_ApiKey_ModelFromBody()
    {
        using var client = new SimTestClient();
        var (status, body, _) = await client.PostAsync("/openai/v1/chat/completions", SimTestClient.Chat("Hello", "my-deployment"), r => r.Headers.Add("api-key", "k"));
        var (noKey, _, _) = await client.PostAsync("/openai/v1/chat/completions", SimTestClient.Chat("Hello", "my-deployment"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("my-deployment", body.GetProperty("model").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, noKey);
    }

    [Fact]
    public async Task AzureStream_FirstChunkHasEmptyChoicesAndPromptFilterResults()
    {
        using var client = new SimTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/openai/deployments/d/chat/completions?api-version=2024-10-21")
        {
            Content = new StringContent("""{"messages":[{"role":"user","content":"Hi"}],"stream":true}"""),
        };
        request.Headers.Add("api-key", "k");
        using var response = await client.Http.SendAsync(request, SimTestClient.Ct);
        var events = SimTestClient.Events(await response.Content.ReadAsStringAsync(SimTestClient.Ct));

        using var first = JsonDocument.Parse(events[0]);
        Assert.Equal(0, first.RootElement.GetProperty("choices").GetArrayLength());
        Assert.True(first.RootElement.TryGetProperty("prompt_filter_results", out _));
        Assert.Equal("[DONE]", events[^1]);
    }
}
