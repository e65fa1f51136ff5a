// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Configuration;
using Charter.Detection;
using Charter.Records;
using Charter.Tests.Audit;
using Microsoft.Extensions.Logging.Abstractions;

namespace Charter.Tests.Detection;

/// <summary>The online detection sink fed by the event pipeline.</summary>
public sealed class DetectionSinkTests
{
    [Fact]
    public async Task ConsumeAsync_CompletionAfterRequestsSegmentReleased_ObservesTheRequestWithItsBody()
    {
        using var dir = new TempDirectory();
        await using var journal = new Journal(new RecordsOptions { SegmentBytes = 1024 }, dir.File("journal"));
        journal.Recover(default);
        var sink = new DetectionSink(new DetectionEngine(), new InMemoryFindingStore(), [], NullLogger<DetectionSink>.Instance);

        // A stream still running when its batch is integrated: the request waits in the sink for its completion.
        var request = Event("request", "req-1", """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Summarise the meeting notes."}]}"""u8.ToArray());
        await journal.AppendAsync(request);
        var batch = new JournalBatch();
        journal.Read(journal.RecoveredEnd, batch, 1); // as the pipeline hands it over: its body in the mapped segment
        await sink.ConsumeAsync(batch, request.Position, CancellationToken.None);
        Assert.Equal(0, sink.Engine.Observed);

        // Later batches roll the journal past the request's segment and release it.
        var later = request;
        for (var i = 0; later.Position.Segment <= request.Position.Segment + 1; i++)
        {
            later = Event("request", $"req-other-{i}", """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Another question."}]}"""u8.ToArray());
            later.Status = 403;
            await journal.AppendAsync(later);
        }

        journal.ReleaseUpTo(later.Position);

        var completion = Event("completion", "req-1", default);
        completion.Status = 200;
        completion.PromptTokens = 12;
        completion.CompletionTokens = 40;
        await journal.AppendAsync(completion);
        await sink.ConsumeAsync([completion], completion.Position, CancellationToken.None);

        Assert.Equal(1, sink.Engine.Observed);
        var subject = sink.Engine.Get(DetectionSubjectKind.Key, "key-1");
        Assert.NotNull(subject);
        Assert.Equal(1, subject.Requests);
    }

    [Fact]
    public async Task ConsumeAsync_RequestWaitingWhileTheBatchReusesItsEvents_ObservesTheRequestAsItWas()
    {
        using var dir = new TempDirectory();
        await using var journal = new Journal(new RecordsOptions(), dir.File("journal"));
        journal.Recover(default);
        var sink = new DetectionSink(new DetectionEngine(), new InMemoryFindingStore(), [], NullLogger<DetectionSink>.Instance);
        var batch = new JournalBatch(); // the pipeline's one batch: its events are reused from batch to batch
        var request = Event("request", "req-1", """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Summarise the notes."}]}"""u8.ToArray());
        await journal.AppendAsync(request);
        var at = journal.Read(journal.RecoveredEnd, batch, 10);
        await sink.ConsumeAsync(batch, at, CancellationToken.None);
        batch.Clear();

        // The next batch is read into the same event objects: another key's request first, then req-1's completion.
        var other = Event("request", "req-2", """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Other."}]}"""u8.ToArray());
        other.Key = "key-2";
        other.Status = 403;
        await journal.AppendAsync(other);
        var completion = Event("completion", "req-1", default);
        completion.Status = 200;
        await journal.AppendAsync(completion);
        at = journal.Read(at, batch, 10);
        await sink.ConsumeAsync(batch, at, CancellationToken.None);

        Assert.Equal(2, sink.Engine.Observed);
        Assert.Equal(1, sink.Engine.Get(DetectionSubjectKind.Key, "key-1")?.Requests);
        Assert.Equal(1, sink.Engine.Get(DetectionSubjectKind.Key, "key-2")?.Requests);
    }

    [Fact]
    public async Task ConsumeAsync_StoredResponseCalls_NotObservedWhileResponsesAre()
    {
        var sink = new DetectionSink(new DetectionEngine(), new InMemoryFindingStore(), [], NullLogger<DetectionSink>.Instance);
        var created = Event("request", "req-1", """{"model":"gpt-4o-mini","input":"Summarise the notes."}"""u8.ToArray());
        created.Endpoint = "responses";
        created.Status = 200;
        var batch = new List<JournalEvent> { created };
        foreach (var endpoint in new[] { "responses.retrieve", "responses.input_items", "responses.delete", "responses.cancel" })
        {
            var call = Event("request", "req-" + endpoint, default);
            call.Endpoint = endpoint;
            call.Status = 200;
            batch.Add(call);
        }

        await sink.ConsumeAsync(batch, default, CancellationToken.None);

        Assert.Equal(1, sink.Engine.Observed);
        Assert.Equal(1, sink.Engine.Get(DetectionSubjectKind.Key, "key-1")?.Requests);
    }

    private static JournalEvent Event(string kind, string id, ReadOnlyMemory<byte> body) => new()
    {
        Kind = kind,
        Id = id,
        Ts = AuditTestData.Start,
        Key = "key-1",
        Team = "team-1",
        Provider = "sim",
        Model = "gpt-4o-mini",
        Purpose = "testing",
        Endpoint = "chat.completions",
        Decision = kind == "request" ? "allow" : null,
        Body = body,
    };
}
