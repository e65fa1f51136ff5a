// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Forwarding;
using Charter.Records;
using Charter.Storage;
using Charter.Tests.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Charter.Tests.Forwarding;

/// <summary>A refused request is in the journal before the client receives a byte of the refusal.</summary>
public sealed class DenialJournalTests
{
    [Fact]
    public async Task HandleChatAsync_NoApiKey_RefusalJournaledBeforeTheResponseIsWritten()
    {
        await using var gw = await TestGateway.StartAsync(inProcessSim: true);
        var handler = gw.App.Services.GetRequiredService<GatewayHandler>();
        var journal = gw.App.Services.GetRequiredService<Journal>();
        var before = journal.Head;
        var body = new HeadAtFirstWrite(journal);
        var context = Context(gw, authorization: null);
        context.Response.Body = body;

        await handler.HandleChatAsync(context);

        Assert.Equal(401, context.Response.StatusCode);
        Assert.NotNull(body.Head);
        Assert.True(body.Head.Value.IsAfter(before), "the refusal reached the response before the journal");
        await gw.WaitForRecordsAsync();
        var store = gw.App.Services.GetRequiredService<IGatewayStore>();
        var record = Assert.Single(await store.ReadRequestsAsync(null, null).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal("deny", record.Decision);
        Assert.Equal(401, record.Status);
    }

    [Fact]
    public async Task HandleChatAsync_RefusalsAfterForwardedRequests_RecordsCarryNothingOfTheEarlierRequests()
    {
        // The handler journals through one event object per thread: a refusal right after a forwarded request on the same
        // thread (the in-process simulator answers synchronously) must not inherit its provider, usage or body.
        await using var gw = await TestGateway.StartAsync(inProcessSim: true);
        var (secret, _) = await gw.CreateKeyAsync();
        var handler = gw.App.Services.GetRequiredService<GatewayHandler>();
        for (var i = 0; i < 8; i++)
        {
            // Both calls complete before they return, so each ran start to end on this thread: the refusal journals through
            // the very event object the forwarded request used (an asynchronous hop would make this test prove nothing).
            var allowed = Context(gw, $"Bearer {secret}");
            var forwarded = handler.HandleChatAsync(allowed);
            Assert.True(forwarded.IsCompleted, "the forwarded request left the test's thread");
            await forwarded;
            Assert.Equal(200, allowed.Response.StatusCode);
            var refused = Context(gw, authorization: null);
            var refusal = handler.HandleChatAsync(refused);
            Assert.True(refusal.IsCompleted, "the refusal left the test's thread");
            await refusal;
            Assert.Equal(401, refused.Response.StatusCode);
        }

        await gw.WaitForRecordsAsync();
        var store = gw.App.Services.GetRequiredService<IGatewayStore>();
        var records = await store.ReadRequestsAsync(null, null).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(16, records.Count);
        Assert.All(records.Where(r => r.Decision == "deny"), r =>
        {
            Assert.Equal(401, r.Status);
            Assert.Equal(
                (null, null, null, null, null, null, null, false, null),
                (r.Key, r.Provider, r.Account, r.Model, r.RequestJson, r.PromptTokens, r.CompletionTokens, r.Estimated, r.CostNanos));
        });
        // The messages' hash travels as bytes on the request path and is stored as its hex digits, in place of the messages.
        var messagesHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("""[{"role":"user","content":"hi"}]"""u8));
        Assert.All(records.Where(r => r.Decision != "deny"), r =>
        {
            Assert.Equal((200, "gpt-4o-mini"), (r.Status, r.Model));
            Assert.NotNull(r.Provider);
            Assert.NotNull(r.PromptTokens);
            Assert.Equal($$"""{"model":"gpt-4o-mini","max_tokens":8,"messages":"sha256:{{messagesHash}}"}""", r.RequestJson);
        });
        Assert.Equal(8, records.Count(r => r.Decision == "deny"));
    }

    private static DefaultHttpContext Context(TestGateway gw, string? authorization)
    {
        var context = new DefaultHttpContext { RequestServices = gw.App.Services };
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        context.Request.Body = new MemoryStream("""{"model":"gpt-4o-mini","max_tokens":8,"messages":[{"role":"user","content":"hi"}]}"""u8.ToArray());
        context.Response.Body = new MemoryStream();
        return context;
    }

    /// <summary>A response body that notes the journal's head when the first bytes are written to it.</summary>
    private sealed class HeadAtFirstWrite(Journal journal) : MemoryStream
    {
        public JournalPosition? Head { get; private set; }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Head ??= journal.Head;
            base.Write(buffer, offset, count);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Head ??= journal.Head;
            return base.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Head ??= journal.Head;
            return base.WriteAsync(buffer, offset, count, cancellationToken);
        }
    }
}
