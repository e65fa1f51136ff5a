// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Charter.Providers.Anthropic;
using Charter.Providers.Responses;
using Charter.Streaming;
using Charter.Tests.Sim;

namespace Charter.Tests.Providers.Responses;

/// <summary>The translated answers and streams have the simulator's Responses shapes (which were checked against the spec):
/// the same request sent to the simulator's <c>/v1/responses</c>, and translated to chat and sent to its
/// <c>/v1/chat/completions</c> then translated back, give the same members at every level and the same event sequence.</summary>
public sealed class ResponsesSimulatorShapeTests
{
    [Theory]
    [InlineData("", false)]
    [InlineData("", true)]
    [InlineData(",\"max_output_tokens\":16", false)]
    [InlineData(",\"max_output_tokens\":16", true)]
    [InlineData(",\"instructions\":\"Be brief.\",\"temperature\":0.5,\"metadata\":{\"a\":\"b\"},\"store\":false", false)]
    [InlineData(",\"instructions\":\"Be brief.\",\"temperature\":0.5,\"metadata\":{\"a\":\"b\"},\"store\":false", true)]
    [InlineData(",\"tools\":[{\"type\":\"function\",\"name\":\"search\",\"parameters\":{\"type\":\"object\"}}],\"tool_choice\":\"required\"", true)]
    public async Task Answer_SameMembersAsTheSimulator(string extra, bool viaAnthropic)
    {
        using var client = new SimTestClient();
        var request = Body(extra);
        var expected = await PostAsync(client, "/v1/responses", request);
        var chat = viaAnthropic ? await ViaAnthropicAsync(client, ToChat(request)) : await PostAsync(client, "/v1/chat/completions", ToChat(request));
        var output = new ArrayBufferWriter<byte>();
        var echo = ResponsesEcho.FromRequest(Encoding.UTF8.GetBytes(request), "resp_x", 1);

        Assert.True(ChatToResponsesAnswer.TryTranslate(Encoding.UTF8.GetBytes(chat), echo, output));

        using var want = JsonDocument.Parse(expected);
        using var got = JsonDocument.Parse(output.WrittenMemory);
        AssertSameShape(want.RootElement, got.RootElement, "$");
        Assert.Equal(want.RootElement.GetProperty("status").GetString(), got.RootElement.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("", true)]
    [InlineData(",\"max_output_tokens\":16", false)]
    [InlineData(",\"max_output_tokens\":16", true)]
    [InlineData(",\"tools\":[{\"type\":\"function\",\"name\":\"search\"}],\"tool_choice\":\"required\"", true)]
    public async Task Stream_SameEventsAsTheSimulator(string extra, bool viaAnthropic)
    {
        using var client = new SimTestClient();
        var request = Body(",\"stream\":true" + extra);
        var expected = Events(await StreamAsync(client, "/v1/responses", request));
        var chat = viaAnthropic ? await StreamViaAnthropicAsync(client, ToChat(request)) : await StreamAsync(client, "/v1/chat/completions", ToChat(request));
        using var translator = new ChatToResponsesStream(ResponsesEcho.FromRequest(Encoding.UTF8.GetBytes(request), "resp_x", 1));
        var output = new ArrayBufferWriter<byte>();
        translator.ProcessEvents(Encoding.UTF8.GetBytes(chat), output);
        var got = Events(Encoding.UTF8.GetString(output.WrittenSpan));

        Assert.True(translator.Completed);
        Assert.Equal(Collapse(expected.Select(e => e.Type)), Collapse(got.Select(e => e.Type)));
        foreach (var type in expected.Select(e => e.Type).Distinct())
        {
            using var want = JsonDocument.Parse(expected.First(e => e.Type == type).Data);
            using var have = JsonDocument.Parse(got.First(e => e.Type == type).Data);
            AssertSameShape(want.RootElement, have.RootElement, type);
        }
    }

    private static string Body(string extra) => $$"""{"model":"gpt-4o","input":"Tell me about the sea."{{extra}}}""";

    private static string ToChat(string request)
    {
        var chat = new ArrayBufferWriter<byte>();
        Assert.True(ResponsesToChatRequest.TryTranslate(Encoding.UTF8.GetBytes(request), chat, out var refusal), refusal.Message);
        return Encoding.UTF8.GetString(chat.WrittenSpan);
    }

    // The gateway's Anthropic path: chat → Messages, the simulator's /v1/messages, Messages answer → chat completion.
    private static async Task<string> ViaAnthropicAsync(SimTestClient client, string chat)
    {
        var messages = new ArrayBufferWriter<byte>();
        Assert.True(AnthropicRequestTranslator.TryTranslate(Encoding.UTF8.GetBytes(chat), "claude-sonnet-4-5", 1024, messages, out var error), error.Message);
        var answer = await PostAsync(client, "/v1/messages", Encoding.UTF8.GetString(messages.WrittenSpan), anthropic: true);
        var completion = new ArrayBufferWriter<byte>();
        Assert.True(AnthropicResponseTranslator.TryTranslate(Encoding.UTF8.GetBytes(answer), "gpt-4o", 1, completion));
        return Encoding.UTF8.GetString(completion.WrittenSpan);
    }

    private static async Task<string> StreamViaAnthropicAsync(SimTestClient client, string chat)
    {
        var messages = new ArrayBufferWriter<byte>();
        Assert.True(AnthropicRequestTranslator.TryTranslate(Encoding.UTF8.GetBytes(chat), "claude-sonnet-4-5", 1024, messages, out var error), error.Message);
        var sse = await PostAsync(client, "/v1/messages", Encoding.UTF8.GetString(messages.WrittenSpan), anthropic: true);
        var translator = new AnthropicStreamTranslator("gpt-4o", 1, includeUsage: true, completionText: null);
        var chunks = new ArrayBufferWriter<byte>();
        var outcome = default(StreamOutcome);
        translator.ProcessEvents(Encoding.UTF8.GetBytes(sse), chunks, ref outcome);
        return Encoding.UTF8.GetString(chunks.WrittenSpan);
    }

    private static async Task<string> PostAsync(SimTestClient client, string path, string json, bool anthropic = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (anthropic)
        {
            request.Headers.Add("x-api-key", "sk-ant-test");
            request.Headers.Add("anthropic-version", "2023-06-01");
        }
        else
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk-test");
        }

        using var response = await client.Http.SendAsync(request, SimTestClient.Ct);
        var text = await response.Content.ReadAsStringAsync(SimTestClient.Ct);
        Assert.True(response.IsSuccessStatusCode, text);
        return text;
    }

    private static Task<string> StreamAsync(SimTestClient client, string path, string json) => PostAsync(client, path, json);

    private static List<(string Type, string Data)> Events(string sse)
    {
        var events = new List<(string, string)>();
        foreach (var block in sse.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var data = block.Split('\n').First(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..];
            if (data == "[DONE]")
            {
                continue;
            }

            using var doc = JsonDocument.Parse(data);
            events.Add((doc.RootElement.TryGetProperty("type", out var t) ? t.GetString()! : "chunk", data));
        }

        return events;
    }

    // Runs of the same delta event collapse to one (the simulator's tokens and the chat stream's deltas differ in number).
    private static List<string> Collapse(IEnumerable<string> types)
    {
        var list = new List<string>();
        foreach (var type in types)
        {
            if (list.Count == 0 || list[^1] != type || !type.EndsWith(".delta", StringComparison.Ordinal))
            {
                list.Add(type);
            }
        }

        return list;
    }

    private static void AssertSameShape(JsonElement want, JsonElement got, string path)
    {
        Assert.True(want.ValueKind == got.ValueKind || IsNumberOrNull(want, got), $"{path}: {want.ValueKind} expected, got {got.ValueKind}");
        if (want.ValueKind == JsonValueKind.Object)
        {
            var wantNames = want.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
            var gotNames = got.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
            Assert.True(wantNames.SequenceEqual(gotNames), $"{path}: members [{string.Join(",", wantNames)}] expected, got [{string.Join(",", gotNames)}]");
            foreach (var property in want.EnumerateObject())
            {
                AssertSameShape(property.Value, got.GetProperty(property.Name), path + "." + property.Name);
            }
        }
        else if (want.ValueKind == JsonValueKind.Array && want.GetArrayLength() > 0 && got.GetArrayLength() > 0)
        {
            AssertSameShape(want[0], got[0], path + "[0]");
        }
    }

    private static bool IsNumberOrNull(JsonElement a, JsonElement b) => a.ValueKind is JsonValueKind.Null or JsonValueKind.Number && b.ValueKind is JsonValueKind.Null or JsonValueKind.Number;
}
