// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Charter.Accounting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Charter.Redis;

/// <summary>Change notifications over Redis pub/sub (channel <c>{prefix}changes</c>): every instance hears every change.</summary>
/// <remarks>
/// The publisher receives its own message too (so one code path invalidates caches everywhere).
/// Pub/sub does not queue for absent subscribers: when the subscription connection comes back after a failure the
/// handlers receive <c>(All, "", Resync)</c>, because changes published meanwhile were lost.
/// </remarks>
internal sealed partial class RedisChangeNotifier : IChangeNotifier, IDisposable
{
    private readonly IConnectionMultiplexer _redis;
    private readonly ISubscriber _subscriber;
    private readonly RedisChannel _channel;
    private readonly ChangeSubscriptions _subscriptions;
    private readonly ILogger<RedisChangeNotifier> _logger;
    private readonly string _instance = Guid.NewGuid().ToString("N")[..12];
    private readonly Action<RedisChannel, RedisValue> _onMessage;

    public RedisChangeNotifier(IConnectionMultiplexer redis, IOptions<LimitsOptions> options, ILogger<RedisChangeNotifier> logger)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _redis = redis;
        _logger = logger;
        _subscriptions = new ChangeSubscriptions(logger);
        _subscriber = redis.GetSubscriber();
        _channel = RedisChannel.Literal(options.Value.RedisKeyPrefix + "changes");
        _onMessage = OnMessage;
        _redis.ConnectionRestored += OnConnectionRestored;
        try
        {
            // Registered even while Redis is down: the multiplexer re-subscribes when it reconnects.
            _subscriber.Subscribe(_channel, _onMessage);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Log.SubscribeFailed(_logger, ex);
        }
    }

    /// <summary>This instance's id, put in <see cref="ChangeNotification.Origin"/> when the publisher leaves it empty.</summary>
    public string InstanceId => _instance;

    public async ValueTask<bool> PublishAsync(ChangeNotification change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!_redis.IsConnected)
        {
            return false;
        }

        var message = change.Origin is null ? change with { Origin = _instance } : change;
        var payload = JsonSerializer.SerializeToUtf8Bytes(message, RedisJsonContext.Default.ChangeNotification);
        try
        {
            await _subscriber.PublishAsync(_channel, payload).WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Log.PublishFailed(_logger, ex);
            return false;
        }
    }

    public IDisposable Subscribe(Action<ChangeNotification> handler) => _subscriptions.Add(handler);

    public void Dispose()
    {
        _redis.ConnectionRestored -= OnConnectionRestored;
        try
        {
            _subscriber.Unsubscribe(_channel, _onMessage);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Log.SubscribeFailed(_logger, ex);
        }
    }

    private void OnMessage(RedisChannel channel, RedisValue value)
    {
        ChangeNotification? change;
        try
        {
            change = JsonSerializer.Deserialize(((ReadOnlyMemory<byte>)value).Span, RedisJsonContext.Default.ChangeNotification);
        }
        catch (JsonException ex)
        {
            Log.BadMessage(_logger, ex);
            return;
        }

        if (change is not null)
        {
            _subscriptions.Dispatch(change);
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription)
        {
            _subscriptions.Dispatch(new ChangeNotification(ChangeEntity.All, string.Empty, ChangeKind.Resync, _instance));
        }
    }
}
