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
        var context = new DefaultHttpContext { RequestServices = gw.App.Services };
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}"""u8.ToArray());
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
