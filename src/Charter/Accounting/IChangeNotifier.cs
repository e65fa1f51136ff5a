// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Accounting;

/// <summary>Tells every gateway instance that a key, team, account or policy changed, so each drops its cached copy.</summary>
/// <remarks>
/// In-process (<c>LocalChangeNotifier</c>): handlers run synchronously inside <see cref="PublishAsync"/>.
/// Redis (<c>RedisChangeNotifier</c>): pub/sub; every instance, the publisher included, receives the message,
/// typically within milliseconds. Pub/sub is fire-and-forget: a subscriber that was disconnected misses messages, so
/// after a reconnect it receives <c>(All, "", Resync)</c> and must drop every cache.
/// Handlers must be quick and must not throw (exceptions are logged and swallowed).
/// </remarks>
public interface IChangeNotifier
{
    /// <summary>Publishes a change; false when the bus could not be reached (the change was not announced).</summary>
    public ValueTask<bool> PublishAsync(ChangeNotification change, CancellationToken cancellationToken = default);

    /// <summary>Registers a handler; dispose the result to unregister.</summary>
    public IDisposable Subscribe(Action<ChangeNotification> handler);
}
