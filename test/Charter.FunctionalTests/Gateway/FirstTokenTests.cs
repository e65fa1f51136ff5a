// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Charter.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Charter.Tests.Common;
using OpenAI.Chat;

namespace Charter.FunctionalTests.Gateway;

/// <summary>Time to first token: a stream's record says when its first output reached the client.</summary>
public sealed class FirstTokenTests
{
    [Fact]
    public async Task CompleteChatStreaming_SlowFirstToken_RecordHasFirstTokenAfterTheDelayAndBeforeTheEnd()
    {
        await using var gw = await TestGateway.StartAsync(sim: o =>
        {
            o.TimeToFirstTokenMs = 300;
            o.TokensPerSecond = 40;
        });
        var (key, _) = await gw.CreateKeyAsync();

        await foreach (var update in Sdk.Chat(gw, key).CompleteChatStreamingAsync([new UserChatMessage("Say hello.")], new ChatCompletionOptions { MaxOutputTokenCount = 8 },
            TestContext.Current.CancellationToken))
        {
            _ = update;
        }

        var record = await SettledRecord.LastAsync(gw);

        Assert.NotNull(record);
        Assert.Equal(200, record.Status);
        Assert.NotNull(record.FirstTokenMs);
        Assert.True(record.FirstTokenMs >= 300, $"first token at {record.FirstTokenMs} ms: before the upstream sent it");

        // Seven more tokens at 40 a second follow the first: the stream ends well after its first event.
        Assert.True(record.LatencyMs > record.FirstTokenMs + 100, $"first token {record.FirstTokenMs} ms, last byte {record.LatencyMs} ms");
    }

    [Fact]
    public async Task CompleteChatStreaming_RoleChunkSentAtOnce_FirstTokenIsTheFirstContent()
    {
        // An upstream that, like some OpenAI-compatible servers, sends the role chunk as soon as it accepts the request and
        // the first content 300 ms later.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var upstream = builder.Build();
        upstream.MapPost("/v1/chat/completions", async context =>
        {
            context.Response.ContentType = "text/event-stream";
            const string Head = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":";
            await context.Response.WriteAsync(Head + "{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n");
            await context.Response.Body.FlushAsync();
            await Task.Delay(300);
            await context.Response.WriteAsync(Head + "{\"content\":\"Hello\"},\"finish_reason\":null}]}\n\n");
            await context.Response.WriteAsync(Head + "{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
        });
        await upstream.StartAsync(TestContext.Current.CancellationToken);
        await using var gw = await TestGateway.StartAsync(s => s.Upstream = TestGateway.Address(upstream) + "/v1");
        var (key, _) = await gw.CreateKeyAsync();

        await foreach (var update in Sdk.Chat(gw, key).CompleteChatStreamingAsync([new UserChatMessage("Say hello.")], cancellationToken: TestContext.Current.CancellationToken))
        {
            _ = update;
        }

        var record = await SettledRecord.LastAsync(gw);

        Assert.NotNull(record);
        Assert.Equal(200, record.Status);
        Assert.True(record.FirstTokenMs >= 300, $"first token at {record.FirstTokenMs} ms: the role chunk was taken for it");
    }

    [Fact]
    public async Task CompleteChatStreaming_AzureAnnotationChunkBeforeTheDelay_NotCountedAsTheFirstToken()
    {
        // Azure's sim sends its prompt-filter chunk at once, then waits; the gateway drops that chunk, so the flush after
        // it carries nothing and must not be taken for the first token.
        await using var gw = await TestGateway.StartAsync(s =>
        {
            var simRoot = s.Upstream![..s.Upstream!.LastIndexOf("/v1", StringComparison.Ordinal)];
            s.Overrides["Providers:Accounts:0:Id"] = "azure";
            s.Overrides["Providers:Accounts:0:Kind"] = "azure-openai";
            s.Overrides["Providers:Accounts:0:BaseUrl"] = simRoot;
            s.Overrides["Providers:Accounts:0:ApiKey"] = "azure-key";
        }, sim: o => o.TimeToFirstTokenMs = 300);
        var (key, _) = await gw.CreateKeyAsync();

        await foreach (var update in Sdk.Chat(gw, key, "gpt-4o").CompleteChatStreamingAsync([new UserChatMessage("Say hello.")], new ChatCompletionOptions { MaxOutputTokenCount = 4 },
            TestContext.Current.CancellationToken))
        {
            _ = update;
        }

        var record = await SettledRecord.LastAsync(gw);

        Assert.NotNull(record);
        Assert.Equal(200, record.Status);
        Assert.True(record.FirstTokenMs >= 300, $"first token at {record.FirstTokenMs} ms");
    }

    [Fact]
    public async Task CompleteChat_NotStreamed_NoFirstTokenAndTheAdminApiSaysSo()
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, _) = await gw.CreateKeyAsync();

        await Sdk.Chat(gw, key).CompleteChatAsync([new UserChatMessage("Say hello.")], new ChatCompletionOptions { MaxOutputTokenCount = 8 });
        await foreach (var update in Sdk.Chat(gw, key).CompleteChatStreamingAsync([new UserChatMessage("Say hello.")], new ChatCompletionOptions { MaxOutputTokenCount = 8 },
            TestContext.Current.CancellationToken))
        {
            _ = update;
        }

        await gw.WaitForRecordsAsync();
        using var req = new HttpRequestMessage(HttpMethod.Get, "admin/v1/requests?limit=10");
        req.Headers.Authorization = new("Bearer", TestGateway.AdminKey);
        using var resp = await gw.Http.SendAsync(req, TestContext.Current.CancellationToken);
        using var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var rows = doc.RootElement.GetProperty("data").EnumerateArray().ToArray();

        Assert.Equal(2, rows.Length);
        Assert.Equal(JsonValueKind.Null, rows[0].GetProperty("first_token_ms").ValueKind); // the whole answer
        Assert.True(rows[1].GetProperty("first_token_ms").GetDouble() > 0); // the stream
    }
}
