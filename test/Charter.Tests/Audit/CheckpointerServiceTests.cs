// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Audit;
using Charter.Audit.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Charter.Tests.Audit;

public sealed class CheckpointerServiceTests
{
    [Fact]
    public async Task ExecuteAsync_IntervalElapsesAfterAppend_SignsCheckpoint()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(AuditTestData.Start);
        var options = AuditTestData.Options(dir);
        var store = new SqliteAuditStore(options.DatabasePath);
        using var log = new AuditLog(store, options, time);
        using var service = new CheckpointerService(log, options, time, NullLogger<CheckpointerService>.Instance);
        await service.StartAsync(CancellationToken.None);
        await log.AppendAsync(AuditTestData.Events(5), TestContext.Current.CancellationToken);

        StoredCheckpoint? cp = null;
        for (var i = 0; i < 200 && cp?.Size != 5; i++)
        {
            time.Advance(options.CheckpointInterval);
            await Task.Delay(10, TestContext.Current.CancellationToken);
            cp = await store.GetLatestCheckpointAsync(TestContext.Current.CancellationToken);
        }

        await log.AppendAsync(AuditTestData.Events(2, 5), TestContext.Current.CancellationToken);
        await service.StopAsync(CancellationToken.None);

        Assert.Equal(5, cp?.Size);
        Assert.Equal(7, (await store.GetLatestCheckpointAsync(TestContext.Current.CancellationToken))?.Size);
    }
}
