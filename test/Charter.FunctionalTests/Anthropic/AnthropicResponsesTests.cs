// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Charter.FunctionalTests.Azure;
using Charter.FunctionalTests.Conformance;
using Charter.FunctionalTests.Infrastructure;
using Charter.Tests.Common;
using OpenAI.Responses;

#pragma warning disable OPENAI001 // the SDK marks its Responses client experimental

namespace Charter.FunctionalTests.Anthropic;

/// <summary>The Responses API served by an <c>anthropic</c> account: translated to the Messages API and back, whole and
/// streamed, with the SDK's <c>ResponsesClient</c>.</summary>
public sealed class AnthropicResponsesTests
{
    private const string Model = AnthropicAccount.Model;

    [Fact]
    public async Task CreateResponse_AnthropicAccount_MessagesApiCalledAndTheAnswerIsAResponse()
    {
        await using var proxy = await RecordingProxy.StartAsync();
        await using var gw = await TestGateway.StartAsync(AnthropicAccount.Settings(proxy));
        var (key, _) = await gw.CreateKeyAsync();

        var (status, body, _) = await GatewayWire.PostAsync(gw, "v1/responses", key,
            $$"""{"model":"{{Model}}","instructions":"Be brief.","input":"Say hello.","max_output_tokens":20}""");

        Assert.Equal(200, status);
        Assert.Empty(OpenApiSpec.Shared.Validate("Response", body));
        using var answer = JsonDocument.Parse(body);
        var text = answer.RootElement.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString();
        Assert.False(string.IsNullOrEmpty(text));
        var seen = Assert.Single(proxy.Requests);
        Assert.Equal("/v1/messages", seen.PathAndQuery);
        using (var sent = JsonDocument.Parse(seen.Body))
        {
            Assert.Equal(AnthropicAccount.UpstreamModel, sent.RootElement.GetProperty("model").GetString());
            Assert.Equal("Be brief.", sent.RootElement.GetProperty("system").GetString());
            Assert.Equal(20, sent.RootElement.GetProperty("max_tokens").GetInt32());
            Assert.Equal("user", sent.RootElement.GetProperty("messages")[0].GetProperty("role").GetString());
        }

        var record = Assert.Single(await Infrastructure.GatewayRecords.AllAsync(gw));
        Assert.Equal(("responses", "anthropic", 200), (record.Endpoint, record.Account, record.Status));
        var usage = answer.RootElement.GetProperty("usage");
        Assert.Equal(usage.GetProperty("input_tokens").GetInt32(), record.PromptTokens);
        Assert.Equal(usage.GetProperty("output_tokens").GetInt32(), record.CompletionTokens);
        Assert.False(record.Estimated);
    }

    [Fact]
    public async Task CreateResponseStreaming_AnthropicAccount_EveryEventMatchesItsSchemaAndTheTextTheWholeAnswers()
    {
        await using var gw = await TestGateway.StartAsync(AnthropicAccount.Settings(null));
        var (key, _) = await gw.CreateKeyAsync();
        var request = $$"""{"model":"{{Model}}","input":"Say hello.","max_output_tokens":24""";

        var (_, whole, _) = await GatewayWire.PostAsync(gw, "v1/responses", key, request + "}");
        var (status, sse, _) = await GatewayWire.PostAsync(gw, "v1/responses", key, request + ",\"stream\":true}");

        Assert.Equal(200, status);
        var events = ResponsesConformanceTests.NamedEvents(sse);
        Assert.Equal("response.created", events[0].Name);
        Assert.Contains(events[^1].Name, new[] { "response.completed", "response.incomplete" });
        var streamed = new System.Text.StringBuilder();
        for (var i = 0; i < events.Count; i++)
        {
            var (name, data) = events[i];
            Assert.True(ResponsesConformanceTests.EventSchemas.TryGetValue(name, out var schema), $"unexpected event {name}");
            Assert.Empty(OpenApiSpec.Shared.Validate(schema, data));
            using var doc = JsonDocument.Parse(data);
            Assert.Equal(i, doc.RootElement.GetProperty("sequence_number").GetInt32());
            if (name == "response.output_text.delta")
            {
                streamed.Append(doc.RootElement.GetProperty("delta").GetString());
            }
        }

        using var answer = JsonDocument.Parse(whole);
        Assert.Equal(answer.RootElement.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString(), streamed.ToString());
        var records = await Infrastructure.GatewayRecords.AllAsync(gw);
        Assert.Equal(2, records.Count(r => r.Status == 200 && r.CompletionTokens > 0 && !r.Estimated));
    }

    [Fact]
    public async Task CreateResponseStreaming_AnthropicUpstreamDropsMidStream_TheClientGetsAResponsesErrorEvent()
    {
        await using var gw = await TestGateway.StartAsync(AnthropicAccount.Settings(null), sim: o =>
        {
            o.TokensPerSecond = 400; // each token flushed: the stream has begun when it fails half-way
            o.DropRate = 1;
        });
        var (key, _) = await gw.CreateKeyAsync();

        var (status, sse, _) = await GatewayWire.PostAsync(gw, "v1/responses", key, $$"""{"model":"{{Model}}","input":"Tell a story.","max_output_tokens":40,"stream":true}""");

        Assert.Equal(200, status);
        var events = ResponsesConformanceTests.NamedEvents(sse);
        var (name, data) = events[^1];
        Assert.Equal("error", name);
        Assert.Empty(OpenApiSpec.Shared.Validate("ResponseErrorEvent", data));
        using var doc = JsonDocument.Parse(data);
        Assert.Equal(events.Count - 1, doc.RootElement.GetProperty("sequence_number").GetInt32());
        Assert.Contains(events, e => e.Name == "response.output_text.delta");
        var record = Assert.Single(await Infrastructure.GatewayRecords.AllAsync(gw));
        Assert.Equal("upstream_error", record.ErrorCode);
        Assert.True(record.Estimated);
    }

    [Fact]
    public async Task CreateResponse_AnthropicAccountWithTheSdk_ForcedToolCallThenItsOutput()
    {
        await using var gw = await TestGateway.StartAsync(AnthropicAccount.Settings(null));
        var (key, _) = await gw.CreateKeyAsync();
        var client = Sdk.Responses(gw, key);
        var tool = ResponseTool.CreateFunctionTool("lookup", BinaryData.FromString("""{"type":"object","properties":{"query":{"type":"string"}},"required":["query"]}"""),
            strictModeEnabled: false, functionDescription: "Looks a word up.");
        var ask = new CreateResponseOptions(Model, [ResponseItem.CreateUserMessageItem("What does estuary mean?")])
        {
            Tools = { tool },
            ToolChoice = ResponseToolChoice.CreateFunctionChoice("lookup"),
            MaxOutputTokenCount = 64,
        };

        ResponseResult first = await client.CreateResponseAsync(ask);
        var call = Assert.IsType<FunctionCallResponseItem>(Assert.Single(first.OutputItems));
        Assert.Equal("lookup", call.FunctionName);
        var answer = new CreateResponseOptions(Model, [ResponseItem.CreateUserMessageItem("What does estuary mean?"), call,
            ResponseItem.CreateFunctionCallOutputItem(call.CallId, "A tidal river mouth.")])
        {
            Tools = { tool },
            MaxOutputTokenCount = 16,
        };
        ResponseResult second = await client.CreateResponseAsync(answer);

        Assert.False(string.IsNullOrEmpty(second.GetOutputText()));
    }

    [Fact]
    public async Task PreviousResponseIdAndStoredResponse_AnthropicAccount_RefusedAndNotFound()
    {
        await using var proxy = await RecordingProxy.StartAsync();
        await using var gw = await TestGateway.StartAsync(AnthropicAccount.Settings(proxy));
        var (key, _) = await gw.CreateKeyAsync();
        var (_, body, _) = await GatewayWire.PostAsync(gw, "v1/responses", key, $$"""{"model":"{{Model}}","input":"Say hello."}""");
        using var created = JsonDocument.Parse(body);
        var id = created.RootElement.GetProperty("id").GetString();

        var (status, error, _) = await GatewayWire.PostAsync(gw, "v1/responses", key,
            $$"""{"model":"{{Model}}","input":"More.","previous_response_id":"{{id}}"}""");
        var (getStatus, getBody) = await GatewayWire.GetAsync(gw, $"v1/responses/{id}", key);

        // Anthropic keeps no conversation state and stores no response.
        Assert.Equal(400, status);
        using (var doc = JsonDocument.Parse(error))
        {
            Assert.Equal("previous_response_id", doc.RootElement.GetProperty("error").GetProperty("param").GetString());
        }

        Assert.Equal(404, getStatus);
        Assert.Empty(OpenApiSpec.Shared.Validate("ErrorResponse", getBody));
        Assert.Single(proxy.Requests); // only the first request reached the upstream
    }
}
