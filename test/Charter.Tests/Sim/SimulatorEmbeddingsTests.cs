// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Charter.Tests.Sim;

public sealed class SimulatorEmbeddingsTests
{
    [Fact]
    public async Task Embeddings_StringInput_DefaultDimensionsUnitVector()
    {
        using var client = new SimTestClient();
        var (status, body, _) = await client.PostAsync("/v1/embeddings", """{"model":"text-embedding-3-small","input":"hello world"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("list", body.GetProperty("object").GetString());
        Assert.Equal("text-embedding-3-small", body.GetProperty("model").GetString());
        var item = body.GetProperty("data")[0];
        Assert.Equal("embedding", item.GetProperty("object").GetString());
        var vector = Floats(item.GetProperty("embedding"));
        Assert.Equal(1536, vector.Length);
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(v => (double)v * v)), 3);
        var usage = body.GetProperty("usage");
        Assert.True(usage.GetProperty("prompt_tokens").GetInt32() > 0);
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task Embeddings_ArrayInputWithDimensions_OneVectorPerInputDeterministic()
    {
        using var client = new SimTestClient();
        var (_, body, _) = await client.PostAsync("/v1/embeddings", """{"model":"text-embedding-3-small","input":["alpha","beta","alpha"],"dimensions":256}""");

        var data = body.GetProperty("data");
        Assert.Equal(3, data.GetArrayLength());
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(i, data[i].GetProperty("index").GetInt32());
            Assert.Equal(256, data[i].GetProperty("embedding").GetArrayLength());
        }

        Assert.Equal(Floats(data[0].GetProperty("embedding")), Floats(data[2].GetProperty("embedding")));
        Assert.NotEqual(Floats(data[0].GetProperty("embedding")), Floats(data[1].GetProperty("embedding")));
    }

    [Fact]
    public async Task Embeddings_Base64_DecodesToTheFloatVector()
    {
        using var client = new SimTestClient();
        var floats = await client.PostAsync("/v1/embeddings", """{"model":"text-embedding-3-small","input":"x","dimensions":64}""");
        var base64 = await client.PostAsync("/v1/embeddings", """{"model":"text-embedding-3-small","input":"x","dimensions":64,"encoding_format":"base64"}""");

        var encoded = base64.Body.GetProperty("data")[0].GetProperty("embedding").GetString()!;
        var decoded = MemoryMarshal.Cast<byte, float>(Convert.FromBase64String(encoded)).ToArray();
        Assert.Equal(Floats(floats.Body.GetProperty("data")[0].GetProperty("embedding")), decoded);
    }

    [Fact]
    public async Task Embeddings_TokenArrays_Accepted()
    {
        using var client = new SimTestClient();
        var (status, body, _) = await client.PostAsync("/v1/embeddings", """{"model":"text-embedding-3-small","input":[[1,2,3],[4,5]],"dimensions":8}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, body.GetProperty("data").GetArrayLength());
        Assert.Equal(5, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Theory]
    [InlineData("""{"model":"text-embedding-3-small"}""", "input")]
    [InlineData("""{"model":"text-embedding-3-small","input":"x","encoding_format":"int8"}""", "encoding_format")]
    [InlineData("""{"model":"text-embedding-3-small","input":"x","dimensions":0}""", "dimensions")]
    [InlineData("""{"model":"text-embedding-3-small","input":"x","dimensions":-1}""", "dimensions")]
    [InlineData("""{"model":"text-embedding-3-small","input":"x","dimensions":8193}""", "dimensions")]
    [InlineData("""{"model":"text-embedding-3-small","input":[]}""", "input")]
    public async Task Embeddings_Invalid_400WithParam(string json, string param)
    {
        using var client = new SimTestClient();
        var (status, body, _) = await client.PostAsync("/v1/embeddings", json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(param, body.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task Embeddings_NullDimensions_TheModelsOwnSize()
    {
        using var client = new SimTestClient();
        var (status, body, _) = await client.PostAsync("/v1/embeddings", """{"model":"text-embedding-3-small","input":"x","dimensions":null}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1536, body.GetProperty("data")[0].GetProperty("embedding").GetArrayLength());
    }

    [Fact]
    public async Task Models_List_ContainsKnownModelsAndSingleModelRoute()
    {
        using var client = new SimTestClient();
        var list = await client.GetJsonAsync("/v1/models");
        var one = await client.GetJsonAsync("/v1/models/my-custom-model");

        Assert.Equal("list", list.GetProperty("object").GetString());
        var ids = list.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Contains("gpt-4o", ids);
        Assert.Contains("text-embedding-3-small", ids);
        Assert.All(list.GetProperty("data").EnumerateArray(), m => Assert.Equal("model", m.GetProperty("object").GetString()));
        Assert.Equal("my-custom-model", one.GetProperty("id").GetString());
    }

    private static float[] Floats(JsonElement array) => array.EnumerateArray().Select(v => v.GetSingle()).ToArray();
}
