// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Net;
using System.Text;
using System.Text.Json;
using Charter.Sim;
using Microsoft.Extensions.Time.Testing;

namespace Charter.Tests.Sim;

public sealed class SimulatorStreamTests
{
    [Fact]
    public async Task Stream_Default_RoleThenContentThenFinishThenDone()
    {
        using var client = new SimTestClient();
        var sse = await client.StreamAsync(SimTestClient.Chat("Hello", extra: ",\"stream\":true"));
        var events = SimTestClient.Events(sse);

        Assert.Equal("[DONE]", events[^1]);
        var chunks = events.Take(events.Count - 1).Select(e => JsonDocument.Parse(e).RootElement).ToList();
        Assert.True(chunks.Count >= 3);
        var id = chunks[0].GetProperty("id").GetString();
        var created = chunks[0].GetProperty("created").GetInt64();
        foreach (var chunk in chunks)
        {
            Assert.Equal("chat.completion.chunk", chunk.GetProperty("object").GetString());
            Assert.Equal(id, chunk.GetProperty("id").GetString());
            Assert.Equal(created, chunk.GetProperty("created").GetInt64());
            Assert.False(chunk.TryGetProperty("usage", out _));
        }

        var first = chunks[0].GetProperty("choices")[0];
        Assert.Equal("assistant", first.GetProperty("delta").GetProperty("role").GetString());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("finish_reason").ValueKind);

        var last = chunks[^1].GetProperty("choices")[0];
        Assert.Empty(last.GetProperty("delta").EnumerateObject());
        Assert.Equal("stop", last.GetProperty("finish_reason").GetString());

        var text = new StringBuilder();
        foreach (var chunk in chunks.Skip(1).Take(chunks.Count - 2))
        {
            var choice = chunk.GetProperty("choices")[0];
            Assert.Equal(JsonValueKind.Null, choice.GetProperty("finish_reason").ValueKind);
            text.Append(choice.GetProperty("delta").GetProperty("content").GetString());
        }

        var plain = await client.PostAsync("/v1/chat/completions", SimTestClient.Chat("Hello"));
        Assert.Equal(SimulatorChatTests.Content(plain.Body, 0), text.ToString());
    }

    [Fact]
    public async Task Stream_IncludeUsage_UsageNullThenFinalUsageChunkEqualToNonStream()
    {
        using var client = new SimTestClient();
        var sse = await client.StreamAsync(SimTestClient.Chat("Hello there", extra: ",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"n\":2"));
        var events = SimTestClient.Events(sse);

        Assert.Equal("[DONE]", events[^1]);
        var chunks = events.Take(events.Count - 1).Select(e => JsonDocument.Parse(e).RootElement).ToList();
        foreach (var chunk in chunks.Take(chunks.Count - 1))
        {
            Assert.Equal(JsonValueKind.Null, chunk.GetProperty("usage").ValueKind);
            Assert.Equal(1, chunk.GetProperty("choices").GetArrayLength());
        }

        var usageChunk = chunks[^1];
        Assert.Equal(0, usageChunk.GetProperty("choices").GetArrayLength());
        var usage = usageChunk.GetProperty("usage");

        var plain = await client.PostAsync("/v1/chat/completions", SimTestClient.Chat("Hello there", extra: ",\"n\":2"));
        var plainUsage = plain.Body.GetProperty("usage");
        Assert.Equal(plainUsage.GetProperty("prompt_tokens").GetInt32(), usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(plainUsage.GetProperty("completion_tokens").GetInt32(), usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(plainUsage.GetProperty("total_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32());

        var contentChunks = chunks.Count(c => c.GetProperty("choices").GetArrayLength() == 1
            && c.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var content)
            && content.GetString()!.Length > 0);
        Assert.Equal(usage.GetProperty("completion_tokens").GetInt32(), contentChunks);
        var finishes = chunks.Where(c => c.GetProperty("choices").GetArrayLength() == 1
            && c.GetProperty("choices")[0].GetProperty("finish_reason").ValueKind == JsonValueKind.String)
            .Select(c => c.GetProperty("choices")[0].GetProperty("index").GetInt32()).Order().ToArray();
        Assert.Equal([0, 1], finishes);
    }

    [Fact]
    public async Task Stream_MaxTokens_FinishReasonLength()
    {
        using var client = new SimTestClient();
        var sse = await client.StreamAsync(SimTestClient.Chat("Hello", extra: ",\"stream\":true,\"max_tokens\":3"));
        var chunks = SimTestClient.Events(sse).SkipLast(1).Select(e => JsonDocument.Parse(e).RootElement).ToList();

        Assert.Equal(5, chunks.Count);
        Assert.Equal("length", chunks[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Stream_Logprobs_OneEntryPerContentChunk()
    {
        using var client = new SimTestClient();
        var sse = await client.StreamAsync(SimTestClient.Chat("Hello", extra: ",\"stream\":true,\"logprobs\":true,\"top_logprobs\":2"));
        var chunks = SimTestClient.Events(sse).SkipLast(1).Select(e => JsonDocument.Parse(e).RootElement).ToList();

        foreach (var chunk in chunks.Skip(1).SkipLast(1))
        {
            var choice = chunk.GetProperty("choices")[0];
            var entries = choice.GetProperty("logprobs").GetProperty("content");
            Assert.Equal(1, entries.GetArrayLength());
            Assert.Equal(choice.GetProperty("delta").GetProperty("content").GetString(), entries[0].GetProperty("token").GetString());
            Assert.Equal(2, entries[0].GetProperty("top_logprobs").GetArrayLength());
        }

        Assert.Equal(JsonValueKind.Null, chunks[0].GetProperty("choices")[0].GetProperty("logprobs").ValueKind);
    }

    [Fact]
    public async Task Stream_SlowUpstream_ChunksArriveAsTheClockAdvances()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20000));
        using var client = new SimTestClient(new SimulatorOptions { TimeToFirstTokenMs = 1000, TokensPerSecond = 10 }, clock);
        var (first, rest) = await PacedStream.ReadAsync(client, clock, "/v1/chat/completions",
            SimTestClient.Chat("Hello", extra: ",\"stream\":true,\"max_tokens\":3"), "[DONE]");

        Assert.Contains("\"role\":\"assistant\"", first, StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", first, StringComparison.Ordinal);
        Assert.Equal(3 + 1 + 1, SimTestClient.Events(rest).Count - 1);
    }

    [Fact]
    public async Task NonStream_TimeToFirstToken_ResponseWaitsForTheClock()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20000));
        using var client = new SimTestClient(new SimulatorOptions { TimeToFirstTokenMs = 500 }, clock);
        var pending = client.PostAsync("/v1/chat/completions", SimTestClient.Chat("Hello"));

        Assert.False(pending.IsCompleted);
        Assert.Equal(HttpStatusCode.OK, (await PacedStream.AdvanceUntil(clock, pending)).Status);
    }

    [Fact]
    public async Task Stream_ReaderDisposedEarly_GenerationStopsWithoutError()
    {
        using var client = new SimTestClient(new SimulatorOptions { TokensPerSecond = 1000, MinCompletionTokens = 200, MaxCompletionTokens = 200 });
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent(SimTestClient.Chat("Hello", extra: ",\"stream\":true"), Encoding.UTF8, "application/json"),
        })
        {
            using var response = await client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, SimTestClient.Ct);
            await using var stream = await response.Content.ReadAsStreamAsync(SimTestClient.Ct);
            var buffer = new byte[256];
            Assert.True(await stream.ReadAsync(buffer, SimTestClient.Ct) > 0);
        }

        var after = await client.PostAsync("/v1/chat/completions", SimTestClient.Chat("Hello"));
        Assert.Equal(HttpStatusCode.OK, after.Status);
    }
}
