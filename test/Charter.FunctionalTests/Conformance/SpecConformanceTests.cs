// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Charter.FunctionalTests.Infrastructure;
using Charter.Tests.Common;

namespace Charter.FunctionalTests.Conformance;

/// <summary>The gateway's real responses and error bodies validated against ../shared/spec/openai-openapi.yaml.</summary>
public sealed class SpecConformanceTests
{
    private static OpenApiSpec Spec => OpenApiSpec.Shared;

    [Fact]
    public void Validate_BodiesThatBreakTheSpec_Rejected()
    {
        // The validator itself must be able to fail, or every test below would pass vacuously.
        Assert.NotEmpty(Spec.Validate("ErrorResponse", "{\"error\":{\"message\":\"m\",\"type\":\"t\",\"code\":null}}"));
        Assert.NotEmpty(Spec.Validate("ErrorResponse", "{\"error\":{\"message\":\"m\",\"type\":\"t\",\"param\":3,\"code\":null}}"));
        Assert.NotEmpty(Spec.Validate("CreateChatCompletionResponse",
            "{\"id\":\"x\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"done\"}]}"));
        Assert.NotEmpty(Spec.Validate("CreateChatCompletionStreamResponse",
            "{\"id\":\"x\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":[]}"));
        Assert.NotEmpty(Spec.Validate("ListModelsResponse", "{\"object\":\"list\",\"data\":[{\"id\":\"m\",\"object\":\"model\",\"owned_by\":\"o\"}]}"));
    }

    [Fact]
    public void Validate_OpenAiDocumentedShapes_Accepted()
    {
        // Real OpenAI bodies (WIRE.md) pass, including a stream chunk whose finish_reason is null: the spec marks it with
        // the OpenAPI 3.0 keyword `nullable: true`, which JSON Schema 2020-12 ignores; OpenApiSpec maps it to a type array.
        Assert.Empty(Spec.Validate("ErrorResponse", "{\"error\":{\"message\":\"m\",\"type\":\"t\",\"param\":null,\"code\":null}}"));
        Assert.Empty(Spec.Validate("CreateChatCompletionStreamResponse",
            "{\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}"));
    }

    [Theory]
    [InlineData("")]
    [InlineData(",\"n\":2")]
    [InlineData(",\"logprobs\":true,\"top_logprobs\":2")]
    [InlineData(",\"max_completion_tokens\":4,\"temperature\":0.5")]
    public async Task ChatCompletion_NonStreaming_MatchesCreateChatCompletionResponse(string extra)
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, _) = await gw.CreateKeyAsync();

        var (status, body, _) = await GatewayWire.PostAsync(gw, "v1/chat/completions", key, GatewayWire.ChatBody(extra: extra));

        Assert.Equal(200, status);
        Assert.Empty(Spec.Validate("CreateChatCompletionResponse", body));
        using var doc = JsonDocument.Parse(body);
        Assert.Equal("chat.completion", doc.RootElement.GetProperty("object").GetString());
        Assert.NotEqual(0, doc.RootElement.GetProperty("choices").GetArrayLength());
    }

    [Theory]
    [InlineData(false, "")]
    [InlineData(true, "")]
    [InlineData(true, ",\"n\":2")]
    [InlineData(false, ",\"logprobs\":true,\"top_logprobs\":1")]
    public async Task ChatCompletion_Streaming_EveryChunkMatchesCreateChatCompletionStreamResponse(bool includeUsage, string extra)
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, _) = await gw.CreateKeyAsync();
        var options = includeUsage ? ",\"stream_options\":{\"include_usage\":true}" : string.Empty;

        var (status, body, _) = await GatewayWire.PostAsync(gw, "v1/chat/completions", key, GatewayWire.ChatBody(extra: ",\"stream\":true" + options + extra));

        Assert.Equal(200, status);
        var events = GatewayWire.DataEvents(body);
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events.Take(events.Count - 1).ToList();
        Assert.True(chunks.Count >= 2, body);
        string? id = null;
        long? created = null;
        var usageChunks = 0;
        foreach (var chunk in chunks)
        {
            Assert.Empty(Spec.Validate("CreateChatCompletionStreamResponse", chunk));
            using var doc = JsonDocument.Parse(chunk);
            var root = doc.RootElement;
            id ??= root.GetProperty("id").GetString();
            created ??= root.GetProperty("created").GetInt64();
            Assert.Equal(id, root.GetProperty("id").GetString());
            Assert.Equal(created, root.GetProperty("created").GetInt64());
            if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                usageChunks++;
                Assert.Equal(0, root.GetProperty("choices").GetArrayLength());
                Assert.Empty(Spec.Validate("CompletionUsage", usage.GetRawText()));
            }
        }

        Assert.Equal(includeUsage ? 1 : 0, usageChunks);
        if (includeUsage)
        {
            using var last = JsonDocument.Parse(chunks[^1]);
            Assert.Equal(JsonValueKind.Object, last.RootElement.GetProperty("usage").ValueKind);
        }

        using var first = JsonDocument.Parse(chunks[0]);
        Assert.Equal("assistant", first.RootElement.GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
    }

    [Theory]
    [InlineData("\"one string\"", "")]
    [InlineData("[\"a\",\"b\",\"c\"]", ",\"dimensions\":8")]
    public async Task Embeddings_MatchCreateEmbeddingResponse(string input, string extra)
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, _) = await gw.CreateKeyAsync();

        var (status, body, _) = await GatewayWire.PostAsync(gw, "v1/embeddings", key, $"{{\"model\":\"text-embedding-3-small\",\"input\":{input}{extra}}}");

        Assert.Equal(200, status);
        Assert.Empty(Spec.Validate("CreateEmbeddingResponse", body));
    }

    [Fact]
    public async Task ModelsList_MatchesListModelsResponse()
    {
        await using var gw = await TestGateway.StartAsync(s => NamedRoutes.ToSimulator(s, "gpt-4o", "text-embedding-3-small"));
        var (key, _) = await gw.CreateKeyAsync();

        var (status, body) = await GatewayWire.GetAsync(gw, "v1/models", key);

        Assert.Equal(200, status);
        Assert.Empty(Spec.Validate("ListModelsResponse", body));
        using var doc = JsonDocument.Parse(body);
        Assert.NotEqual(0, doc.RootElement.GetProperty("data").GetArrayLength());

        var (oneStatus, one) = await GatewayWire.GetAsync(gw, "v1/models/gpt-4o", key);
        var (missingStatus, missing) = await GatewayWire.GetAsync(gw, "v1/models/no-such-model", key);
        Assert.Equal((200, 404), (oneStatus, missingStatus));
        Assert.Empty(Spec.Validate("Model", one));
        Assert.Empty(Spec.Validate("ErrorResponse", missing));
    }

    [Fact]
    public async Task Error401_UnknownKey_MatchesErrorResponse()
    {
        await using var gw = await TestGateway.StartAsync();

        var (status, body, _) = await GatewayWire.PostAsync(gw, "v1/chat/completions", "ck-not-a-real-key-000000000000000000000000", GatewayWire.ChatBody());

        AssertError(401, "invalid_api_key", status, body);
    }

    [Fact]
    public async Task Error401_NoAuthorizationHeader_MatchesErrorResponse()
    {
        await using var gw = await TestGateway.StartAsync();

        var (status, body, _) = await GatewayWire.PostAsync(gw, "v1/chat/completions", null, GatewayWire.ChatBody());

        Assert.Equal(401, status);
        Assert.Empty(Spec.Validate("ErrorResponse", body));
    }

    [Theory]
    [InlineData("{\"model\":\"gpt-4o\",\"messages\":\"hello\"}", "messages")]
    [InlineData("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":7}", "temperature")]
    [InlineData("{\"model\":\"gpt-4o\",\"messages\":[", null)]
    public async Task Error400_BadBody_MatchesErrorResponseWithParam(string request, string? param)
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, _) = await gw.CreateKeyAsync();

        var (status, body, _) = await GatewayWire.PostAsync(gw, "v1/chat/completions", key, request);

        var error = AssertError(400, null, status, body);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task Error404_UnknownModel_MatchesErrorResponse()
    {
        await using var gw = await TestGateway.StartAsync(s => NamedRoutes.ToSimulator(s, "gpt-4o"));
        var (key, _) = await gw.CreateKeyAsync();

        var (status, body, _) = await GatewayWire.PostAsync(gw, "v1/chat/completions", key, GatewayWire.ChatBody("no-such-model"));

        AssertError(404, "model_not_found", status, body);
    }

    [Fact]
    public async Task Error413_BodyOverLimit_MatchesErrorResponse()
    {
        await using var gw = await TestGateway.StartAsync(s => s.Overrides["Gateway:MaxRequestBodyBytes"] = "2048");
        var (key, _) = await gw.CreateKeyAsync();
        var big = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + new string('a', 5000) + "\"}]}";

        var (status, body, _) = await GatewayWire.PostAsync(gw, "v1/chat/completions", key, big);

        AssertError(413, "request_too_large", status, body);
    }

    [Fact]
    public async Task Error403_ModelOutsideKeyAllowList_MatchesErrorResponse()
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, _) = await gw.CreateKeyAsync(models: ["gpt-4o"]);

        var (status, body, _) = await GatewayWire.PostAsync(gw, "v1/chat/completions", key, GatewayWire.ChatBody("gpt-4o-mini"));

        AssertError(403, null, status, body);
        Assert.Equal(0, gw.Simulator.RequestCount);
    }

    [Fact]
    public async Task Error403_PurposeNotGranted_MatchesErrorResponse()
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, _) = await gw.CreateKeyAsync(purposes: ["testing"]);

        var (status, body, _) = await GatewayWire.PostAsync(gw, "v1/chat/completions", key, GatewayWire.ChatBody(), purpose: "production");

        AssertError(403, null, status, body);
        Assert.Equal(0, gw.Simulator.RequestCount);
    }

    [Fact]
    public async Task Error403_UpstreamAccountSuspended_PassedThroughMatchesErrorResponse()
    {
        await using var gw = await TestGateway.StartAsync(sim: o => o.SuspendedAccount = true);
        var (key, _) = await gw.CreateKeyAsync();

        var (status, body, _) = await GatewayWire.PostAsync(gw, "v1/chat/completions", key, GatewayWire.ChatBody());

        AssertError(403, null, status, body);
    }

    [Fact]
    public async Task Error429_UpstreamRateLimited_MatchesErrorResponseAndRetryAfter()
    {
        await using var gw = await TestGateway.StartAsync(s => s.Overrides["Gateway:Retries"] = "0", sim: o => o.RateLimitRate = 1);
        var (key, _) = await gw.CreateKeyAsync();

        var (status, body, headers) = await GatewayWire.PostAsync(gw, "v1/chat/completions", key, GatewayWire.ChatBody());

        AssertError(429, null, status, body);
        AssertRetryAfter(headers);
    }

    [Fact]
    public async Task Error429_GatewayRequestLimit_MatchesErrorResponseAndRetryAfter()
    {
        await using var gw = await TestGateway.StartAsync(s => s.Overrides["limits:key_defaults:requests_per_minute"] = "1");
        var (key, _) = await gw.CreateKeyAsync();

        var (first, _, _) = await GatewayWire.PostAsync(gw, "v1/chat/completions", key, GatewayWire.ChatBody());
        var (status, body, headers) = await GatewayWire.PostAsync(gw, "v1/chat/completions", key, GatewayWire.ChatBody());

        Assert.Equal(200, first);
        AssertError(429, null, status, body);
        AssertRetryAfter(headers);
        Assert.Equal(1, gw.Simulator.RequestCount);
    }

    [Fact]
    public async Task Error5xx_UpstreamServerError_MatchesErrorResponse()
    {
        await using var gw = await TestGateway.StartAsync(s => s.Overrides["Gateway:Retries"] = "0", sim: o => o.ErrorRate = 1);
        var (key, _) = await gw.CreateKeyAsync();

        var (status, body, _) = await GatewayWire.PostAsync(gw, "v1/chat/completions", key, GatewayWire.ChatBody());

        // The upstream's own OpenAI-shaped 500 body is relayed with its status (a body-less or non-JSON 5xx becomes 502).
        Assert.True(status is 500 or 502, $"status {status}");
        Assert.Empty(Spec.Validate("ErrorResponse", body));
    }

    [Fact]
    public async Task Error504_UpstreamTimeout_MatchesErrorResponse()
    {
        await using var gw = await TestGateway.StartAsync(s =>
        {
            s.Overrides["Gateway:UpstreamTimeoutSeconds"] = "1";
            s.Overrides["Gateway:Retries"] = "0";
        }, sim: o => o.TimeToFirstTokenMs = 4000);
        var (key, _) = await gw.CreateKeyAsync();

        var (status, body, _) = await GatewayWire.PostAsync(gw, "v1/chat/completions", key, GatewayWire.ChatBody());

        AssertError(504, null, status, body);
    }

    [Fact]
    public async Task ChatCompletion_StreamFailsMidway_ErrorEventMatchesErrorResponse_EarlierChunksMatchStreamResponse()
    {
        await using var gw = await TestGateway.StartAsync(sim: o => o.StreamErrorRate = 1);
        var (key, _) = await gw.CreateKeyAsync();

        var (status, body, _) = await GatewayWire.PostAsync(gw, "v1/chat/completions", key, GatewayWire.ChatBody(extra: ",\"stream\":true", maxTokens: 32));

        Assert.Equal(200, status);
        var events = GatewayWire.DataEvents(body);
        Assert.DoesNotContain("[DONE]", events);
        Assert.True(events.Count >= 2, body);
        foreach (var chunk in events.Take(events.Count - 1))
        {
            Assert.Empty(Spec.Validate("CreateChatCompletionStreamResponse", chunk));
        }

        Assert.Empty(Spec.Validate("ErrorResponse", events[^1]));
    }

    /// <summary>Spec TooManyRequests: Retry-After, when present, is integer seconds ≥ 1.</summary>
    private static void AssertRetryAfter(System.Net.Http.Headers.HttpResponseHeaders headers)
    {
        if (headers.TryGetValues("Retry-After", out var values))
        {
            var value = Assert.Single(values);
            Assert.True(int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds >= 1, value);
        }
    }

    private static JsonElement AssertError(int expectedStatus, string? expectedCode, int status, string body)
    {
        Assert.Equal(expectedStatus, status);
        Assert.Empty(Spec.Validate("ErrorResponse", body));
        using var doc = JsonDocument.Parse(body);
        var error = doc.RootElement.GetProperty("error").Clone();
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        if (expectedCode is not null)
        {
            Assert.Equal(expectedCode, error.GetProperty("code").GetString());
        }

        return error;
    }
}
