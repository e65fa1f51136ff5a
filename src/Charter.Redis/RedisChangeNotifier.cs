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
/// Pub/sub does not queue for absent subscribers: when the connection comes back after a failure the handlers
/// receive <c>(All, "", Resync)</c> once the subscription is live again, because changes published meanwhile were lost.
/// Other instances ignore the probe messages (<c>Id</c> "probe:…") used to detect that.
/// </remarks>
internal sealed partial class RedisChangeNotifier : IChangeNotifier, IDisposable
{
    private const string ProbePrefix = "probe:";
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(250);
    private readonly IConnectionMultiplexer _redis;
    private readonly ISubscriber _subscriber;
    private readonly RedisChannel _channel;
    private readonly ChangeSubscriptions _subscriptions;
    private readonly ILogger<RedisChangeNotifier> _logger;
    private readonly string _instance = Guid.NewGuid().ToString("N")[..12];
    private readonly Action<RedisChannel, RedisValue> _onMessage;
    private string? _probeId;
    private int _probing;

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

        if (change is null)
        {
            return;
        }

        if (change.Kind == ChangeKind.Resync && change.Id.StartsWith(ProbePrefix, StringComparison.Ordinal))
        {
            // Our own probe came back: the subscription is live again, so nothing published from now on is missed.
            var probe = Volatile.Read(ref _probeId);
            if (probe is not null && change.Id == probe && Interlocked.CompareExchange(ref _probeId, null, probe) == probe)
            {
                _subscriptions.Dispatch(new ChangeNotification(ChangeEntity.All, string.Empty, ChangeKind.Resync, _instance));
            }

            return;
        }

        _subscriptions.Dispatch(change);
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (Interlocked.Exchange(ref _probing, 1) == 0)
        {
            _ = ProbeAsync();
        }
    }

    /// <summary>
    /// After a reconnect, publishes a probe until it comes back through our own subscription and only then tells the
    /// handlers to resync: the library re-subscribes asynchronously, and a resync signalled before the subscription is
    /// live would let a change published in between go unseen. Gives up (and resyncs anyway) after ~30 s.
    /// </summary>
    private async Task ProbeAsync()
    {
        var probe = ProbePrefix + Guid.NewGuid().ToString("N");
        Volatile.Write(ref _probeId, probe);
        try
        {
            var payload = JsonSerializer.SerializeToUtf8Bytes(
                new ChangeNotification(ChangeEntity.All, probe, ChangeKind.Resync, _instance), RedisJsonContext.Default.ChangeNotification);
            for (var attempt = 0; attempt < 120 && Volatile.Read(ref _probeId) == probe; attempt++)
            {
                try
                {
                    await _subscriber.PublishAsync(_channel, payload).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    Log.PublishFailed(_logger, ex);
                }

                await Task.Delay(ProbeInterval).ConfigureAwait(false);
            }

            if (Interlocked.CompareExchange(ref _probeId, null, probe) == probe)
            {
                _subscriptions.Dispatch(new ChangeNotification(ChangeEntity.All, string.Empty, ChangeKind.Resync, _instance));
            }
        }
        finally
        {
            Volatile.Write(ref _probing, 0);
        }
    }
}
