// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text;
using Charter.Audit;
using Charter.Audit.Storage;
using Charter.Audit.Verification;
using Charter.Tests.Audit;
using Charter.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;

namespace Charter.Tests.Storage;

/// <summary>Several instances on one PostgreSQL audit log: the shared queue, the elected sequencer and takeover.</summary>
public sealed class PostgresAuditSequencerTests
{
    [Fact]
    public async Task TryAcquireSequencer_WhileAnotherHoldsIt_ReturnsNullUntilReleased()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var first = new PostgresAuditStore(database.Url);
        await using var second = new PostgresAuditStore(database.Url);
        await first.EnsureCreatedAsync(TestContext.Current.CancellationToken);

        var lease = await first.TryAcquireSequencerAsync(TestContext.Current.CancellationToken);
        Assert.NotNull(lease);
        Assert.True(await lease.IsHeldAsync(TestContext.Current.CancellationToken));
        Assert.Null(await second.TryAcquireSequencerAsync(TestContext.Current.CancellationToken));

        await lease.DisposeAsync();
        await using var taken = await second.TryAcquireSequencerAsync(TestContext.Current.CancellationToken);
        Assert.NotNull(taken);
    }

    [Fact]
    public async Task EnqueueAsync_ReplayedPosition_QueuesNothingTwice()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var store = new PostgresAuditStore(database.Url);
        await store.EnsureCreatedAsync(TestContext.Current.CancellationToken);
        var leaves = Leaves("a", 0, 3);

        await store.EnqueueAsync("instance-a", leaves, 1, 300, TestContext.Current.CancellationToken);
        await store.EnqueueAsync("instance-a", leaves, 1, 300, TestContext.Current.CancellationToken);
        await store.EnqueueAsync("instance-a", leaves, 1, 200, TestContext.Current.CancellationToken);

        Assert.Equal(3, await store.CountQueuedAsync(TestContext.Current.CancellationToken));
        Assert.Equal((1L, 300L), await store.GetProducerPositionAsync("instance-a", TestContext.Current.CancellationToken));
        Assert.Null(await store.GetProducerPositionAsync("instance-b", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task SequenceQueuedAsync_TwoProducers_EveryLeafOnceInQueueOrderAndVerifies()
    {
        using var dir = new TempDirectory();
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var storeA = new PostgresAuditStore(database.Url);
        await using var storeB = new PostgresAuditStore(database.Url);
        var options = ElectedOptions(dir, database);
        using var log = new AuditLog(storeA, options);
        await log.InitializeAsync(TestContext.Current.CancellationToken);
        Assert.False(log.IsWriter);
        await Assert.ThrowsAsync<InvalidOperationException>(() => log.SequenceQueuedAsync(storeA, 10, TestContext.Current.CancellationToken));

        await storeA.EnqueueAsync("a", Leaves("a", 0, 5), 1, 100, TestContext.Current.CancellationToken);
        await storeB.EnqueueAsync("b", Leaves("b", 0, 4), 1, 100, TestContext.Current.CancellationToken);
        await storeA.EnqueueAsync("a", Leaves("a", 5, 2), 1, 200, TestContext.Current.CancellationToken);
        await log.TakeOverAsync(TestContext.Current.CancellationToken);
        Assert.Equal(6, await log.SequenceQueuedAsync(storeA, 6, TestContext.Current.CancellationToken));
        Assert.Equal(5, await log.SequenceQueuedAsync(storeA, 6, TestContext.Current.CancellationToken));
        Assert.Equal(0, await log.SequenceQueuedAsync(storeA, 6, TestContext.Current.CancellationToken));
        await log.CheckpointAsync(TestContext.Current.CancellationToken);

        var entries = await log.GetEntriesAsync(0, 11, TestContext.Current.CancellationToken);
        var texts = entries.Select(e => Encoding.UTF8.GetString(e.Data.Span)).ToList();
        Assert.Equal(11, texts.Distinct().Count());
        Assert.Equal(["a-0", "a-1", "a-2", "a-3", "a-4", "b-0", "b-1", "b-2", "b-3", "a-5", "a-6"], texts.Select(Id).ToList());
        Assert.Equal(0, await storeA.CountQueuedAsync(TestContext.Current.CancellationToken));
        var result = await AuditVerifier.VerifyAsync(storeA, options.ResolveKeyDirectory(), cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(result.Ok, result.Problem);
        Assert.Equal(11, result.Entries);
    }

    [Fact]
    public async Task SequenceQueuedAsync_StaleSequencerAfterTakeover_ConflictsInsteadOfForking()
    {
        using var dir = new TempDirectory();
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var storeA = new PostgresAuditStore(database.Url);
        await using var storeB = new PostgresAuditStore(database.Url);
        var options = ElectedOptions(dir, database);
        using var stale = new AuditLog(storeA, options);
        using var current = new AuditLog(storeB, options);
        await stale.TakeOverAsync(TestContext.Current.CancellationToken);
        await storeA.EnqueueAsync("a", Leaves("a", 0, 3), 1, 100, TestContext.Current.CancellationToken);
        Assert.Equal(3, await stale.SequenceQueuedAsync(storeA, 100, TestContext.Current.CancellationToken));

        // B takes over and integrates more; A still believes it is the writer.
        await current.TakeOverAsync(TestContext.Current.CancellationToken);
        await storeB.EnqueueAsync("b", Leaves("b", 0, 2), 1, 100, TestContext.Current.CancellationToken);
        Assert.Equal(2, await current.SequenceQueuedAsync(storeB, 100, TestContext.Current.CancellationToken));
        await storeA.EnqueueAsync("a", Leaves("a", 3, 2), 1, 200, TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<AuditStoreConflictException>(() => stale.SequenceQueuedAsync(storeA, 100, TestContext.Current.CancellationToken));
        Assert.Equal(5, await storeA.GetSizeAsync(TestContext.Current.CancellationToken));

        // After the conflict the stale log has reloaded the frontier; the tree is still one tree.
        Assert.Equal(2, await current.SequenceQueuedAsync(storeB, 100, TestContext.Current.CancellationToken));
        await current.CheckpointAsync(TestContext.Current.CancellationToken);
        var result = await AuditVerifier.VerifyAsync(storeB, options.ResolveKeyDirectory(), cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(result.Ok, result.Problem);
        Assert.Equal(7, result.Entries);
    }

    [Fact]
    public async Task AuditSequencerService_SequencerStops_StandbyTakesOverAndLogVerifies()
    {
        using var dir = new TempDirectory();
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var storeA = new PostgresAuditStore(database.Url);
        await using var storeB = new PostgresAuditStore(database.Url);
        var options = ElectedOptions(dir, database);
        options.ElectionInterval = TimeSpan.FromMilliseconds(100);
        options.SequencerPollInterval = TimeSpan.FromMilliseconds(20);
        options.CheckpointInterval = TimeSpan.FromMilliseconds(100);
        using var logA = new AuditLog(storeA, options);
        using var logB = new AuditLog(storeB, options);
        using var serviceA = new AuditSequencerService(logA, storeA, options, TimeProvider.System, NullLogger<AuditSequencerService>.Instance);
        using var serviceB = new AuditSequencerService(logB, storeB, options, TimeProvider.System, NullLogger<AuditSequencerService>.Instance);
        await serviceA.StartAsync(TestContext.Current.CancellationToken);
        await WaitAsync(() => Task.FromResult(serviceA.IsSequencer));
        await serviceB.StartAsync(TestContext.Current.CancellationToken);

        await storeA.EnqueueAsync("a", Leaves("a", 0, 10), 1, 100, TestContext.Current.CancellationToken);
        await storeB.EnqueueAsync("b", Leaves("b", 0, 10), 1, 100, TestContext.Current.CancellationToken);
        await WaitAsync(async () => await storeA.GetSizeAsync() == 20);
        Assert.True(serviceA.IsSequencer);
        Assert.False(serviceB.IsSequencer);

        await serviceA.StopAsync(TestContext.Current.CancellationToken);
        await storeB.EnqueueAsync("b", Leaves("b", 10, 5), 1, 200, TestContext.Current.CancellationToken);
        await WaitAsync(async () => serviceB.IsSequencer && await storeB.GetSizeAsync() == 25 && (await storeB.GetLatestCheckpointAsync())?.Size == 25);
        await serviceB.StopAsync(TestContext.Current.CancellationToken);

        var result = await AuditVerifier.VerifyAsync(storeB, options.ResolveKeyDirectory(), cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(result.Ok, result.Problem);
        Assert.Equal(25, result.Entries);
    }

    private static AuditOptions ElectedOptions(TempDirectory dir, PostgresTestDatabase database)
    {
        var options = AuditTestData.Options(dir);
        options.DatabasePath = database.ConnectionString;
        options.ElectSequencer = true;
        return options;
    }

    private static List<byte[]> Leaves(string producer, int from, int count) =>
        Enumerable.Range(from, count).Select(i => Encoding.UTF8.GetBytes($$"""{"id":"{{producer}}-{{i}}","kind":"request"}""")).ToList();

    private static string Id(string leaf) => System.Text.Json.JsonDocument.Parse(leaf).RootElement.GetProperty("id").GetString()!;

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail("condition not reached within 15 s");
    }
}
