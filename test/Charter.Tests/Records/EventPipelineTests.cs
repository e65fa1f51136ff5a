// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Configuration;
using Charter.Records;
using Charter.Storage.Sqlite;
using Charter.Tests.Audit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Charter.Tests.Records;

/// <summary>The integrator reads the journal back: everything appended reaches the database and each sink once, in order.</summary>
public sealed class EventPipelineTests
{
    [Fact]
    public async Task StopAsync_BacklogOfMoreThanABatch_IntegratesEveryEventOnceInOrder()
    {
        using var dir = new TempDirectory();
        await using var started = await Started.StartAsync(dir, new RecordsOptions { SegmentBytes = 64 * 1024, IntegrateIntervalMs = 100 });
        var (journal, store, sink, pipeline) = (started.Journal, started.Store, started.Sink, started.Pipeline);

        // Appended faster than one interval: all of it is still in the journal when the pipeline stops.
        for (var i = 0; i < 5000; i++)
        {
            await journal.AppendAsync(Request(i));
        }

        await pipeline.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(5000, await store.CountRequestsAsync(cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(Enumerable.Range(0, 5000).Select(i => $"req_{i}"), sink.Ids);
        Assert.All(sink.BatchSizes, n => Assert.InRange(n, 1, 4096));
        Assert.True(sink.BatchSizes.Count >= 2);
        Assert.Equal(journal.Head, sink.Position);
        Assert.Equal(journal.Head, await store.GetJournalPositionAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Run_EventsAppendedAfterRecovery_IntegratedWithoutStopping()
    {
        using var dir = new TempDirectory();
        var options = new RecordsOptions { IntegrateIntervalMs = 10 };
        var store = new SqliteGatewayStore(dir.File("charter.db"));
        await store.MigrateAsync(TestContext.Current.CancellationToken);
        await using (var earlier = new Journal(options, dir.File("journal")))
        {
            earlier.Recover(default);
            await earlier.AppendAsync(Request(0)); // a previous run's event, not yet integrated
        }

        await using var journal = new Journal(options, dir.File("journal"));
        var sink = new RecordingSink();
        var pipeline = new EventPipeline(journal, store, [sink], Options.Create(options), NullLogger<EventPipeline>.Instance);
        await pipeline.StartAsync(TestContext.Current.CancellationToken);
        for (var i = 1; i <= 3; i++)
        {
            await journal.AppendAsync(Request(i));
        }

        await pipeline.WaitIdleAsync(TimeSpan.FromSeconds(30));
        var integrated = await store.CountRequestsAsync(cancellationToken: TestContext.Current.CancellationToken);
        await pipeline.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(4, integrated);
        Assert.Equal(["req_0", "req_1", "req_2", "req_3"], sink.Ids);
    }

    [Fact]
    public async Task Run_Batches_ConsumedOnTheIntegratorsOwnThreadNotThePool()
    {
        using var dir = new TempDirectory();
        await using var started = await Started.StartAsync(dir, new RecordsOptions { IntegrateIntervalMs = 10 });
        var (journal, sink, pipeline) = (started.Journal, started.Sink, started.Pipeline);
        for (var i = 0; i < 3; i++)
        {
            await journal.AppendAsync(Request(i));
            await Task.Delay(30, TestContext.Current.CancellationToken); // a batch each, most likely
        }

        await pipeline.WaitIdleAsync(TimeSpan.FromSeconds(30));
        await pipeline.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["req_0", "req_1", "req_2"], sink.Ids);
        Assert.NotEmpty(sink.Threads);
        Assert.All(sink.Threads, t => Assert.Equal(("Charter integrator", false), t));
    }

    [Fact]
    public async Task BacklogBytes_EventsWaitingForTheirBatch_CountedUntilIntegrated()
    {
        using var dir = new TempDirectory();
        await using var started = await Started.StartAsync(dir, new RecordsOptions { IntegrateIntervalMs = 2000 });
        var (journal, pipeline) = (started.Journal, started.Pipeline);

        // One event integrated first: until its first batch the loop has no start to time the interval from, and an event
        // appended before the loop first looks is integrated at once.
        await journal.AppendAsync(Request(0));
        for (var i = 0; i < 1000 && (pipeline.Integrated < 1 || pipeline.BacklogBytes > 0); i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        var idle = pipeline.BacklogBytes;
        await journal.AppendAsync(Request(1));
        var one = pipeline.BacklogBytes;
        await journal.AppendAsync(Request(2));
        var two = pipeline.BacklogBytes;
        await pipeline.StopAsync(TestContext.Current.CancellationToken); // the last batch is integrated on the way out

        Assert.Equal(0, idle);
        Assert.True(one > 0, $"one event waiting: {one} bytes");
        Assert.True(two > one, $"two events waiting: {two} bytes, one: {one}");
        Assert.Equal(0, pipeline.BacklogBytes);
        Assert.Equal(3, pipeline.Integrated);
    }

    private static JournalEvent Request(int i) => new()
    {
        Kind = "request",
        Id = $"req_{i}",
        Ts = AuditTestData.Start.AddMilliseconds(i),
        Key = "key_1",
        Team = "team_1",
        Model = "gpt-4o-mini",
        Endpoint = "chat.completions",
        Decision = "allow",
        Status = 200,
        Body = System.Text.Encoding.UTF8.GetBytes($$"""{"messages":[{"role":"user","content":"prompt {{i}}"}]}"""),
    };

    // A journal, a migrated database and a recording sink behind a started pipeline.
    private sealed class Started(Journal journal, SqliteGatewayStore store, RecordingSink sink, EventPipeline pipeline) : IAsyncDisposable
    {
        public Journal Journal { get; } = journal;

        public SqliteGatewayStore Store { get; } = store;

        public RecordingSink Sink { get; } = sink;

        public EventPipeline Pipeline { get; } = pipeline;

        public static async Task<Started> StartAsync(TempDirectory dir, RecordsOptions options)
        {
            var journal = new Journal(options, dir.File("journal"));
            var store = new SqliteGatewayStore(dir.File("charter.db"));
            await store.MigrateAsync(TestContext.Current.CancellationToken);
            var sink = new RecordingSink();
            var pipeline = new EventPipeline(journal, store, [sink], Options.Create(options), NullLogger<EventPipeline>.Instance);
            await pipeline.StartAsync(TestContext.Current.CancellationToken);
            return new Started(journal, store, sink, pipeline);
        }

        public async ValueTask DisposeAsync()
        {
            await Pipeline.DisposeAsync();
            await Journal.DisposeAsync();
        }
    }

    private sealed class RecordingSink : IEventSink
    {
        public List<string> Ids { get; } = [];

        public List<int> BatchSizes { get; } = [];

        public JournalPosition? Position { get; private set; }

        public List<(string? Name, bool OnPool)> Threads { get; } = [];

        public string Name => "recording";

        public Task<JournalPosition?> GetPositionAsync(CancellationToken cancellationToken) => Task.FromResult(Position);

        public Task ConsumeAsync(IReadOnlyList<JournalEvent> batch, JournalPosition position, CancellationToken cancellationToken)
        {
            Ids.AddRange(batch.Select(e => e.Id));
            BatchSizes.Add(batch.Count);
            Position = position;
            Threads.Add((Thread.CurrentThread.Name, Thread.CurrentThread.IsThreadPoolThread));
            return Task.CompletedTask;
        }
    }
}
