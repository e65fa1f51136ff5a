// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.FunctionalTests.Infrastructure;
using Charter.Tests.Common;
using OpenAI.Embeddings;

namespace Charter.FunctionalTests.Gateway;

public sealed class EmbeddingsAndModelsTests
{
    [Fact]
    public async Task GenerateEmbedding_Dimensions_ReturnsVectorOfRequestedSize()
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, _) = await gw.CreateKeyAsync();

        OpenAIEmbedding embedding = await Sdk.Embeddings(gw, key).GenerateEmbeddingAsync("hello world", new EmbeddingGenerationOptions { Dimensions = 256 });
        OpenAIEmbeddingCollection batch = await Sdk.Embeddings(gw, key).GenerateEmbeddingsAsync(["a", "b", "c"]);

        Assert.Equal(256, embedding.ToFloats().Length);
        Assert.Equal(3, batch.Count);
        Assert.Equal(2, gw.Simulator.RequestCount);
    }

    [Fact]
    public async Task GenerateEmbeddings_LargeAnswer_PassesThroughByteForByte()
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, _) = await gw.CreateKeyAsync();
        string[] inputs = [.. Enumerable.Range(0, 12).Select(i => "input number " + i)];
        var request = "{\"model\":\"text-embedding-3-large\",\"dimensions\":3072,\"input\":["
            + string.Join(',', inputs.Select(i => "\"" + i + "\"")) + "]}";
        using var http = new HttpClient();

        OpenAIEmbeddingCollection viaSdk = await Sdk.Embeddings(gw, key).GenerateEmbeddingsAsync(inputs, new EmbeddingGenerationOptions { Dimensions = 3072 });
        using var direct = await http.PostAsync(new Uri(gw.SimUri!, "v1/embeddings"), new StringContent(request, System.Text.Encoding.UTF8, "application/json"));
        var directBytes = await direct.Content.ReadAsByteArrayAsync();
        using var viaGateway = new HttpRequestMessage(HttpMethod.Post, new Uri(gw.BaseUri, "v1/embeddings"))
        {
            Content = new StringContent(request, System.Text.Encoding.UTF8, "application/json"),
        };
        viaGateway.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        using var relayed = await http.SendAsync(viaGateway);
        var gatewayBytes = await relayed.Content.ReadAsByteArrayAsync();

        Assert.True(directBytes.Length > 64 * 1024, $"answer of {directBytes.Length} bytes"); // larger than any default buffer
        Assert.Equal(directBytes, gatewayBytes); // the pooled buffer holds the whole answer, unchanged
        Assert.Equal(12, viaSdk.Count);
        Assert.All(viaSdk, e => Assert.Equal(3072, e.ToFloats().Length));
    }

    [Fact]
    public async Task GetModels_KeyWithAllowList_ListsOnlyAllowedModels()
    {
        await using var gw = await TestGateway.StartAsync();
        var (open, _) = await gw.CreateKeyAsync();
        var (restricted, _) = await gw.CreateKeyAsync(models: ["gpt-4o-mini"]);

        var all = (await Sdk.Models(gw, open).GetModelsAsync()).Value.Select(m => m.Id).ToList();
        var some = (await Sdk.Models(gw, restricted).GetModelsAsync()).Value.Select(m => m.Id).ToList();

        Assert.Contains("gpt-4o", all);
        Assert.Contains("gpt-4o-mini", all);
        Assert.Equal(["gpt-4o-mini"], some);
    }

    [Fact]
    public async Task GetModel_AllowedUnknownAndOutsideAllowList_ModelOr404()
    {
        await using var gw = await TestGateway.StartAsync();
        var (restricted, _) = await gw.CreateKeyAsync(models: ["gpt-4o-mini"]);
        var client = Sdk.Models(gw, restricted);

        var model = (await client.GetModelAsync("gpt-4o-mini")).Value;
        var outside = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() => client.GetModelAsync("gpt-4o"));
        var unknown = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() => client.GetModelAsync("no-such-model"));
        var badKey = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() => Sdk.Models(gw, "ck-wrong").GetModelAsync("gpt-4o-mini"));

        Assert.Equal("gpt-4o-mini", model.Id);
        Assert.Equal((404, 404, 401), (outside.Status, unknown.Status, badKey.Status));
        Assert.Contains("model_not_found", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteChat_ModelOutsideKeyAllowList_403()
    {
        await using var gw = await TestGateway.StartAsync();
        var (restricted, _) = await gw.CreateKeyAsync(models: ["gpt-4o-mini"]);

        var ex = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() =>
            Sdk.Chat(gw, restricted, "gpt-4o").CompleteChatAsync([new OpenAI.Chat.UserChatMessage("hi")]));

        Assert.Equal(403, ex.Status);
        Assert.Equal(0, gw.Simulator.RequestCount);
    }
}
