// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Accounting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Charter.Tests.Accounting;

public sealed class ChangeNotifierTests
{
    [Fact]
    public async Task PublishAsync_Subscribed_DeliversToEveryHandler()
    {
        var notifier = new LocalChangeNotifier(NullLogger<LocalChangeNotifier>.Instance);
        var seen = new List<ChangeNotification>();
        using var a = notifier.Subscribe(seen.Add);
        using var b = notifier.Subscribe(seen.Add);
        var change = new ChangeNotification(ChangeEntity.Key, "key-1", ChangeKind.Revoked);

        Assert.True(await notifier.PublishAsync(change, TestContext.Current.CancellationToken));

        Assert.Equal([change, change], seen);
    }

    [Fact]
    public async Task Subscribe_Disposed_StopsDelivery()
    {
        var notifier = new LocalChangeNotifier(NullLogger<LocalChangeNotifier>.Instance);
        var count = 0;
        var subscription = notifier.Subscribe(_ => count++);

        subscription.Dispose();
        subscription.Dispose();
        await notifier.PublishAsync(new ChangeNotification(ChangeEntity.Team, "t", ChangeKind.Changed), TestContext.Current.CancellationToken);

        Assert.Equal(0, count);
    }

    [Fact]
    public void Dispatch_ThrowingHandler_OtherHandlersStillRun()
    {
        var subscriptions = new ChangeSubscriptions(NullLogger.Instance);
        var reached = false;
        using var bad = subscriptions.Add(_ => throw new InvalidOperationException("boom"));
        using var good = subscriptions.Add(_ => reached = true);

        subscriptions.Dispatch(new ChangeNotification(ChangeEntity.All, string.Empty, ChangeKind.Resync));

        Assert.True(reached);
        Assert.Equal(2, subscriptions.Count);
    }
}
