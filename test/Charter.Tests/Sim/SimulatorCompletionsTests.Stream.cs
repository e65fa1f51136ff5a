// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Net;
using System.Text;
using System.Text.Json;
using Charter.Sim;
using Microsoft.Extensions.Time.Testing;

namespace Charter.Tests.Sim;

/// <summary>Streamed legacy completions (chunks, include_usage, echo and logprobs in pieces, pacing) and the faults.</summary>
public sealed partial class SimulatorCompletionsTests
{
    [Fact]
    public async Task Stream_SeveralPromptsAndN_TextInPiecesThenOneFinishPerChoiceThenDone()
    {
        using var client = new SimTestClient();
        var whole = (await client.PostAsync(Path, Body("[\"Rivers\",\"Lakes\"]", extra: ",\"n\":2"))).Body;
        var chunks = Chunks(await StreamAsync(client, Body("[\"Rivers\",\"Lakes\"]", extra: ",\"n\":2,\"stream\":true")));

        var id = Id(chunks[0]);
        Assert.StartsWith("cmpl-", id, StringComparison.Ordinal);
        var created = chunks[0].GetProperty("created").GetInt64();
        var texts = new StringBuilder[4];
        var finishes = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            texts[i] = new StringBuilder();
        }

        foreach (var chunk in chunks)
        {
            AssertValidChunk(chunk);
            Assert.Equal("text_completion", chunk.GetProperty("object").GetString());
            Assert.Equal(id, Id(chunk));
            Assert.Equal(created, chunk.GetProperty("created").GetInt64());
            Assert.Equal("gpt-4o", chunk.GetProperty("model").GetString());
            Assert.False(chunk.TryGetProperty("usage", out _));
            var choice = Assert.Single(chunk.GetProperty("choices").EnumerateArray());
            var index = choice.GetProperty("index").GetInt32();
            Assert.Equal(JsonValueKind.Null, choice.GetProperty("logprobs").ValueKind);
            if (choice.GetProperty("finish_reason").ValueKind == JsonValueKind.Null)
            {
                Assert.DoesNotContain(index, finishes);
                Assert.NotEmpty(choice.GetProperty("text").GetString()!);
                texts[index].Append(choice.GetProperty("text").GetString());
            }
            else
            {
                Assert.Equal(string.Empty, choice.GetProperty("text").GetString());
                Assert.Equal(FinishReason(whole, index), choice.GetProperty("finish_reason").GetString());
                finishes.Add(index);
            }
        }

        Assert.Equal([0, 1, 2, 3], finishes.Order());
        Assert.Equal(Enumerable.Range(0, 4).Select(i => Text(whole, i)), texts.Select(t => t.ToString()));
        Assert.Equal(Usage(whole, "completion_tokens"), chunks.Count - 4);
    }

    [Fact]
    public async Task Stream_IncludeUsage_UsageNullThenAChoicesEmptyUsageChunkEqualToTheWholeAnswers()
    {
        using var client = new SimTestClient();
        var whole = (await client.PostAsync(Path, Body("\"Hello there\"", extra: ",\"n\":2"))).Body;
        var chunks = Chunks(await StreamAsync(client, Body("\"Hello there\"", extra: ",\"n\":2,\"stream\":true,\"stream_options\":{\"include_usage\":true}")));

        foreach (var chunk in chunks.SkipLast(1))
        {
            AssertValidChunk(chunk);
            Assert.Equal(JsonValueKind.Null, chunk.GetProperty("usage").ValueKind);
            Assert.Equal(1, chunk.GetProperty("choices").GetArrayLength());
        }

        var last = chunks[^1];
        AssertValidChunk(last);
        Assert.Equal(Id(chunks[0]), Id(last));
        Assert.Equal(0, last.GetProperty("choices").GetArrayLength());
        foreach (var member in new[] { "prompt_tokens", "completion_tokens", "total_tokens" })
        {
            Assert.Equal(Usage(whole, member), Usage(last, member));
        }
    }

    [Fact]
    public async Task Stream_EchoWithLogprobs_PromptChunkFirstThenTokensSameAsTheWholeAnswer()
    {
        using var client = new SimTestClient();
        const string extra = ",\"echo\":true,\"logprobs\":1,\"max_tokens\":4";
        var whole = (await client.PostAsync(Path, Body("\"Say hello to the world\"", extra: extra))).Body;
        var chunks = Chunks(await StreamAsync(client, Body("\"Say hello to the world\"", extra: extra + ",\"stream\":true")));

        var pieces = chunks.Select(c => c.GetProperty("choices")[0]).Where(c => c.GetProperty("finish_reason").ValueKind == JsonValueKind.Null).ToList();
        Assert.Equal("Say hello to the world", pieces[0].GetProperty("text").GetString());
        Assert.Equal(5, pieces[0].GetProperty("logprobs").GetProperty("tokens").GetArrayLength());
        Assert.Equal(1 + 4, pieces.Count);
        Assert.Equal(Text(whole, 0), string.Concat(pieces.Select(p => p.GetProperty("text").GetString())));
        var expected = whole.GetProperty("choices")[0].GetProperty("logprobs");
        foreach (var member in new[] { "tokens", "token_logprobs", "top_logprobs", "text_offset" })
        {
            var streamed = pieces.SelectMany(p => p.GetProperty("logprobs").GetProperty(member).EnumerateArray()).Select(e => e.GetRawText());
            Assert.Equal(expected.GetProperty(member).EnumerateArray().Select(e => e.GetRawText()), streamed);
        }
    }

    [Fact]
    public async Task Stream_MaxTokensZero_OnlyEachChoicesFinish()
    {
        using var client = new SimTestClient();
        var chunks = Chunks(await StreamAsync(client, Body("\"Hello\"", extra: ",\"n\":2,\"max_tokens\":0,\"stream\":true")));

        Assert.Equal(2, chunks.Count);
        Assert.All(chunks, c => Assert.Equal("length", c.GetProperty("choices")[0].GetProperty("finish_reason").GetString()));
    }

    [Fact]
    public async Task Stream_BestOfOne_StreamsLikeWithout()
    {
        using var client = new SimTestClient();
        var with = Chunks(await StreamAsync(client, Body("\"Hello\"", extra: ",\"best_of\":1,\"stream\":true")));
        var without = Chunks(await StreamAsync(client, Body("\"Hello\"", extra: ",\"stream\":true")));

        Assert.Equal(without.Select(c => c.GetProperty("choices").GetRawText()), with.Select(c => c.GetProperty("choices").GetRawText()));
    }

    [Fact]
    public async Task Stream_TimeToFirstTokenAndPace_NothingBeforeTheClockThenEveryToken()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20000));
        using var client = new SimTestClient(new SimulatorOptions { TimeToFirstTokenMs = 1000, TokensPerSecond = 10 }, clock);
        var (first, text) = await PacedStream.ReadAsync(client, clock, Path, Body("\"Hello\"", extra: ",\"stream\":true,\"max_tokens\":3"), "[DONE]");

        Assert.DoesNotContain("[DONE]", first, StringComparison.Ordinal);
        Assert.Equal(3 + 1, Chunks(text).Count);
    }

    [Fact]
    public async Task Fault_SuspendedAccount_403AccountDeactivated()
    {
        using var client = new SimTestClient(new SimulatorOptions { SuspendedAccount = true });
        var (status, body, _) = await client.PostAsync(Path, Body("\"Hello\""));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("account_deactivated", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Fault_ErrorRateOne_500ServerError()
    {
        using var client = new SimTestClient(new SimulatorOptions { ErrorRate = 1 });
        var (status, body, _) = await client.PostAsync(Path, Body("\"Hello\""));

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("server_error", body.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Fault_RateLimitRateOne_429WithRetryAfter()
    {
        using var client = new SimTestClient(new SimulatorOptions { RateLimitRate = 1, RetryAfterSeconds = 3 });
        var (status, body, response) = await client.PostAsync(Path, Body("\"Hello\""));

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);
        Assert.Equal("rate_limit_exceeded", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Fault_OverloadedRateOne_503WithRetryAfter()
    {
        using var client = new SimTestClient(new SimulatorOptions { OverloadedRate = 1, RetryAfterSeconds = 2 });
        var (status, body, response) = await client.PostAsync(Path, Body("\"Hello\""));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
        Assert.Contains("overloaded", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fault_DropRateOne_WholeAnswerCutClientSeesAnError()
    {
        using var client = new SimTestClient(new SimulatorOptions { DropRate = 1 });
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = Json(Body("\"Hello\"")) };

        var ex = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var response = await client.Http.SendAsync(request, SimTestClient.Ct);
        });
        Assert.True(ex is HttpRequestException or IOException, ex.GetType().Name);
    }

    [Fact]
    public async Task Fault_DropRateOne_StreamBreaksBeforeDone()
    {
        using var client = new SimTestClient(new SimulatorOptions { DropRate = 1 });
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = Json(Body("\"Hello\"", extra: ",\"stream\":true")) };
        using var response = await client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, SimTestClient.Ct);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(SimTestClient.Ct));

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => reader.ReadToEndAsync(SimTestClient.Ct));
        Assert.True(ex is IOException or HttpRequestException, ex.GetType().Name);
    }

    [Theory]
    [InlineData(",\"max_tokens\":8", 4)]
    [InlineData(",\"max_tokens\":0", 0)]
    public async Task Fault_StreamErrorRateOne_ErrorEventHalfWayNoDone(string extra, int textChunks)
    {
        using var client = new SimTestClient(new SimulatorOptions { StreamErrorRate = 1 });
        var events = SimTestClient.Events(await StreamAsync(client, Body("\"Hello\"", extra: extra + ",\"stream\":true")));

        Assert.DoesNotContain("[DONE]", events);
        Assert.Equal(textChunks + 1, events.Count);
        using var last = JsonDocument.Parse(events[^1]);
        Assert.Equal("server_error", last.RootElement.GetProperty("error").GetProperty("type").GetString());
        foreach (var chunk in events.SkipLast(1))
        {
            using var doc = JsonDocument.Parse(chunk);
            Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("choices")[0].GetProperty("finish_reason").ValueKind);
        }
    }

    [Fact]
    public async Task Fault_Faulted_RequestIdRecordedAndCounted()
    {
        using var client = new SimTestClient(new SimulatorOptions { ErrorRate = 1 });
        await client.PostAsync(Path, Body("\"Hello\""), r => r.Headers.Add("X-Charter-Request-Id", "c-1"));
        await client.PostAsync(Path, Body("\"Hello\""), r => r.Headers.Add("X-Charter-Request-Id", "c-1"));

        Assert.Equal(2, client.Simulator.TimesSeen("c-1"));
        Assert.Equal(2, client.Simulator.RequestCountFor("openai", "completions"));
    }

    private static async Task<string> StreamAsync(SimTestClient client, string json, string path = Path, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(json) };
        configure?.Invoke(request);
        using var response = await client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, SimTestClient.Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync(SimTestClient.Ct);
    }

    /// <summary>The JSON chunks of a stream that ended with <c>data: [DONE]</c>.</summary>
    private static List<JsonElement> Chunks(string sse)
    {
        var events = SimTestClient.Events(sse);
        Assert.Equal("[DONE]", events[^1]);
        return [.. events.SkipLast(1).Select(e => JsonDocument.Parse(e).RootElement.Clone())];
    }

    /// <summary>The spec's <c>CreateCompletionResponse</c>, which it says chunks share, but with the <c>finish_reason:null</c> of a
    /// choice not yet finished and the <c>"usage":null</c> of <c>include_usage</c> streams, as OpenAI sends them.</summary>
    private static void AssertValidChunk(JsonElement chunk) =>
        SimSpec.AssertValid(Schema, chunk, "stream chunk", defs =>
        {
            var schema = defs[Schema]!.AsObject();
            SimSpec.MakeNullable(schema, "properties", "choices", "items", "properties", "finish_reason");
            SimSpec.MakeNullable(schema, "properties", "usage");
        });

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
