// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Charter.Tests.Common;

namespace Charter.FunctionalTests.Conformance;

/// <summary>The gateway's <c>/v1/responses</c> answers, events and errors validated against ../shared/spec/openai-openapi.yaml.</summary>
public sealed class ResponsesConformanceTests
{
    /// <summary>Each event the gateway relays, checked against its own schema (ResponseStreamEvent is an anyOf of all of them).</summary>
    internal static readonly Dictionary<string, string> EventSchemas = new(StringComparer.Ordinal)
    {
        ["response.created"] = "ResponseCreatedEvent",
        ["response.in_progress"] = "ResponseInProgressEvent",
        ["response.output_item.added"] = "ResponseOutputItemAddedEvent",
        ["response.output_item.done"] = "ResponseOutputItemDoneEvent",
        ["response.content_part.added"] = "ResponseContentPartAddedEvent",
        ["response.content_part.done"] = "ResponseContentPartDoneEvent",
        ["response.output_text.delta"] = "ResponseTextDeltaEvent",
        ["response.output_text.done"] = "ResponseTextDoneEvent",
        ["response.function_call_arguments.delta"] = "ResponseFunctionCallArgumentsDeltaEvent",
        ["response.function_call_arguments.done"] = "ResponseFunctionCallArgumentsDoneEvent",
        ["response.completed"] = "ResponseCompletedEvent",
        ["response.incomplete"] = "ResponseIncompleteEvent",
        ["response.failed"] = "ResponseFailedEvent",
        ["error"] = "ResponseErrorEvent",
    };

    private static OpenApiSpec Spec => OpenApiSpec.Shared;

    [Fact]
    public void Validate_ResponseShapesThatBreakTheSpec_Rejected()
    {
        Assert.NotEmpty(Spec.Validate("Response", "{\"id\":\"resp_1\",\"object\":\"response\"}"));
        Assert.NotEmpty(Spec.Validate("ResponseTextDeltaEvent", "{\"type\":\"response.output_text.delta\",\"delta\":\"x\"}"));
        Assert.NotEmpty(Spec.Validate("ResponseErrorEvent", "{\"type\":\"error\",\"message\":\"m\",\"sequence_number\":1}"));
    }

    [Theory]
    [InlineData("")]
    [InlineData(",\"instructions\":\"Be brief.\",\"max_output_tokens\":16")]
    [InlineData(",\"include\":[\"message.output_text.logprobs\"],\"top_logprobs\":2")]
    [InlineData(",\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}],\"tool_choice\":{\"type\":\"function\",\"name\":\"get_weather\"}")]
    public async Task Response_NonStreaming_MatchesResponse(string extra)
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, _) = await gw.CreateKeyAsync();

        var (status, body, _) = await GatewayWire.PostAsync(gw, "v1/responses", key, Body(extra));

        Assert.Equal(200, status);
        Assert.Empty(Spec.Validate("Response", body));
        using var doc = JsonDocument.Parse(body);
        Assert.Equal("response", doc.RootElement.GetProperty("object").GetString());
        Assert.NotEqual(0, doc.RootElement.GetProperty("output").GetArrayLength());
    }

    [Theory]
    [InlineData("")]
    [InlineData(",\"max_output_tokens\":16")]
    [InlineData(",\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}],\"tool_choice\":\"required\"")]
    public async Task Response_Streaming_EveryEventMatchesItsSchemaInOrder(string extra)
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, _) = await gw.CreateKeyAsync();

        var (status, body, headers) = await GatewayWire.PostAsync(gw, "v1/responses", key, Body(",\"stream\":true" + extra));

        Assert.Equal(200, status);
        var events = NamedEvents(body);
        Assert.Equal("response.created", events[0].Name);
        Assert.Contains(events[^1].Name, new[] { "response.completed", "response.incomplete" });
        for (var i = 0; i < events.Count; i++)
        {
            var (name, data) = events[i];
            Assert.True(EventSchemas.TryGetValue(name, out var schema), $"unexpected event {name}");
            Assert.Empty(Spec.Validate(schema, data));
            using var doc = JsonDocument.Parse(data);
            Assert.Equal(name, doc.RootElement.GetProperty("type").GetString());
            Assert.Equal(i, doc.RootElement.GetProperty("sequence_number").GetInt32());
        }

        Assert.DoesNotContain("[DONE]", body, StringComparison.Ordinal);
        Assert.Contains(headers, h => h.Key == "x-charter-request-id");
    }

    [Fact]
    public async Task Response_UpstreamFailsMidStream_TheErrorEventMatchesResponseErrorEvent()
    {
        await using var gw = await TestGateway.StartAsync(sim: o => { o.DropRate = 1; o.TokensPerSecond = 400; }); // each token flushed: the stream has begun when it fails
        var (key, _) = await gw.CreateKeyAsync();

        var (status, body, _) = await GatewayWire.PostAsync(gw, "v1/responses", key, Body(",\"stream\":true,\"max_output_tokens\":40"));

        Assert.Equal(200, status);
        var events = NamedEvents(body);
        var (name, data) = events[^1];
        Assert.Equal("error", name);
        Assert.Empty(Spec.Validate("ResponseErrorEvent", data));
        using var doc = JsonDocument.Parse(data);
        Assert.Equal(events.Count - 1, doc.RootElement.GetProperty("sequence_number").GetInt32());
    }

    [Theory]
    [InlineData("{\"model\":\"gpt-4o-mini\",\"input\":\"x\",\"background\":true}", 400)]
    [InlineData("{\"model\":\"gpt-4o-mini\",\"input\":\"x\",\"mystery\":1}", 400)] // the upstream's unknown_parameter, passed through
    [InlineData("{\"model\":\"gpt-4o-mini\",\"input\":", 400)]
    public async Task Response_Refused_ErrorMatchesErrorResponse(string body, int expected)
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, _) = await gw.CreateKeyAsync();

        var (status, text, _) = await GatewayWire.PostAsync(gw, "v1/responses", key, body);

        Assert.Equal(expected, status);
        Assert.Empty(Spec.Validate("ErrorResponse", text));
    }

    private static string Body(string extra) => "{\"model\":\"gpt-4o-mini\",\"input\":\"Say hello.\"" + extra + "}";

    /// <summary>Splits a Responses SSE body into (event name, data); every event must have both.</summary>
    internal static List<(string Name, string Data)> NamedEvents(string sse)
    {
        var events = new List<(string, string)>();
        foreach (var block in sse.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string? name = null;
            string? data = null;
            foreach (var line in block.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    name = line["event: ".Length..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data = line["data: ".Length..];
                }
                else
                {
                    Assert.StartsWith(":", line, StringComparison.Ordinal); // only comments besides
                }
            }

            Assert.NotNull(name);
            Assert.NotNull(data);
            events.Add((name, data));
        }

        return events;
    }
}
