// Copyright (c) Charter contributors. Licensed under the MIT License.

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Charter.Accounting;

/// <summary>Keeps <see cref="SubjectLimits"/> in step with its shared store: loads every own limit at start, reloads one key's or
/// team's when the change bus announces a change to it, and everything after a resync. Does nothing when limits are not shared.</summary>
public sealed partial class SubjectLimitsSyncService(SubjectLimits limits, IChangeNotifier notifier, ILogger<SubjectLimitsSyncService> logger) : IHostedService, IDisposable
{
    private IDisposable? _subscription;

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!limits.IsShared)
        {
            return;
        }

        _subscription ??= notifier.Subscribe(OnChange);
        await ReloadAsync(null, null, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _subscription?.Dispose();
        _subscription = null;
    }

    private void OnChange(ChangeNotification change)
    {
        if (change.Entity == ChangeEntity.All || change.Kind == ChangeKind.Resync)
        {
            _ = Task.Run(() => ReloadAsync(null, null, CancellationToken.None));
        }
        else if (change.Entity is ChangeEntity.Key or ChangeEntity.Team && change.Kind == ChangeKind.Changed)
        {
            var scope = change.Entity == ChangeEntity.Team ? LimitScope.Team : LimitScope.Key;
            _ = Task.Run(() => ReloadAsync(scope, change.Id, CancellationToken.None));
        }
    }

    private async Task ReloadAsync(LimitScope? scope, string? id, CancellationToken cancellationToken)
    {
        try
        {
            if (scope is { } s && id is not null)
            {
                await limits.ReloadAsync(s, id, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await limits.ReloadAsync(cancellationToken).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // a failed reload keeps the previous limits; the next change or resync reloads again
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ReloadFailed(logger, id ?? "*", ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6016, Level = LogLevel.Warning, Message = "Could not reload the own limits of {Id} from the shared store; keeping the previous ones.")]
        public static partial void ReloadFailed(ILogger logger, string id, Exception ex);
    }
}
