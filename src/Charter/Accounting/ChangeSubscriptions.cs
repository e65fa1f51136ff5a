// Copyright (c) Charter contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging;

namespace Charter.Accounting;

/// <summary>The handler list of a change notifier: copy-on-write, so dispatch takes no lock and allocates nothing.</summary>
public sealed partial class ChangeSubscriptions
{
    private readonly ILogger _logger;
    private Action<ChangeNotification>[] _handlers = [];

    /// <summary>Creates an empty list that logs failing handlers to <paramref name="logger"/>.</summary>
    public ChangeSubscriptions(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
    }

    /// <summary>Number of registered handlers.</summary>
    public int Count => Volatile.Read(ref _handlers).Length;

    /// <summary>Adds a handler; dispose the result to remove it.</summary>
    public IDisposable Add(Action<ChangeNotification> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Action<ChangeNotification>[] current, updated;
        do
        {
            current = Volatile.Read(ref _handlers);
            updated = [.. current, handler];
        }
        while (Interlocked.CompareExchange(ref _handlers, updated, current) != current);

        return new Subscription(this, handler);
    }

    /// <summary>Calls every handler; a throwing handler is logged and does not stop the others.</summary>
    public void Dispatch(ChangeNotification change)
    {
        foreach (var handler in Volatile.Read(ref _handlers))
        {
            try
            {
                handler(change);
            }
            catch (Exception ex)
            {
                Log.HandlerFailed(_logger, change.Entity, change.Kind, ex);
            }
        }
    }

    private void Remove(Action<ChangeNotification> handler)
    {
        Action<ChangeNotification>[] current, updated;
        do
        {
            current = Volatile.Read(ref _handlers);
            var index = Array.IndexOf(current, handler);
            if (index < 0)
            {
                return;
            }

            updated = [.. current.AsSpan(0, index), .. current.AsSpan(index + 1)];
        }
        while (Interlocked.CompareExchange(ref _handlers, updated, current) != current);
    }

    private sealed class Subscription(ChangeSubscriptions owner, Action<ChangeNotification> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Remove(handler);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6101, Level = LogLevel.Error, Message = "A change handler failed for {Entity} {Kind}.")]
        public static partial void HandlerFailed(ILogger logger, ChangeEntity entity, ChangeKind kind, Exception exception);
    }
}
