// Copyright (c) Charter contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging;

namespace Charter.Accounting;

/// <summary>Single-instance change notifier: delivers synchronously to this process's handlers.</summary>
internal sealed class LocalChangeNotifier : IChangeNotifier
{
    private readonly ChangeSubscriptions _subscriptions;

    public LocalChangeNotifier(ILogger<LocalChangeNotifier> logger)
    {
        _subscriptions = new ChangeSubscriptions(logger);
    }

    public ValueTask<bool> PublishAsync(ChangeNotification change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        _subscriptions.Dispatch(change);
        return new(true);
    }

    public IDisposable Subscribe(Action<ChangeNotification> handler) => _subscriptions.Add(handler);
}
