// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Accounting;
using Charter.Redis;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Charter.Tests.Redis;

public sealed class RedisChangeNotifierTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private readonly IOptions<LimitsOptions> _options = Options.Create(new LimitsOptions { RedisKeyPrefix = $"charter-test:{Guid.NewGuid():N}:" });

    [Fact]
    public async Task PublishAsync_OnOneInstance_DeliveredOnTheOther()
    {
        using var publisher = new RedisChangeNotifier(redis.First, _options, NullLogger<RedisChangeNotifier>.Instance);
        using var subscriber = new RedisChangeNotifier(redis.Second, _options, NullLogger<RedisChangeNotifier>.Instance);
        var received = new TaskCompletionSource<ChangeNotification>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = subscriber.Subscribe(c => received.TrySetResult(c));

        Assert.True(await publisher.PublishAsync(new ChangeNotification(ChangeEntity.Key, "key-42", ChangeKind.Suspended), TestContext.Current.CancellationToken));
        var change = await received.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal(new ChangeNotification(ChangeEntity.Key, "key-42", ChangeKind.Suspended, publisher.InstanceId), change);
    }

    [Fact]
    public async Task PublishAsync_OtherPrefix_NotDelivered()
    {
        var otherOptions = Options.Create(new LimitsOptions { RedisKeyPrefix = $"charter-test:{Guid.NewGuid():N}:" });
        using var publisher = new RedisChangeNotifier(redis.First, _options, NullLogger<RedisChangeNotifier>.Instance);
        using var other = new RedisChangeNotifier(redis.Second, otherOptions, NullLogger<RedisChangeNotifier>.Instance);
        using var same = new RedisChangeNotifier(redis.Second, _options, NullLogger<RedisChangeNotifier>.Instance);
        var otherCount = 0;
        var sameReceived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var a = other.Subscribe(_ => Interlocked.Increment(ref otherCount));
        using var b = same.Subscribe(_ => sameReceived.TrySetResult());

        await publisher.PublishAsync(new ChangeNotification(ChangeEntity.Team, "t", ChangeKind.Changed), TestContext.Current.CancellationToken);
        await sameReceived.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        // Messages on one connection arrive in order; the same-prefix one arrived, so the other channel had its chance.
        Assert.Equal(0, Volatile.Read(ref otherCount));
    }

    [Fact]
    public async Task PublishAsync_RedisUnreachable_ReturnsFalse()
    {
        using var dead = RedisConnectionFactory.Connect($"127.0.0.1:{RedisLimitStoreTests.FreePort()}", timeoutMs: 300);
        using var notifier = new RedisChangeNotifier(dead, _options, NullLogger<RedisChangeNotifier>.Instance);

        Assert.False(await notifier.PublishAsync(new ChangeNotification(ChangeEntity.Key, "k", ChangeKind.Revoked), TestContext.Current.CancellationToken));
    }
}
