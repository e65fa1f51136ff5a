// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy;

/// <summary>Holds the policy set in force and hot-reloads it when the policy directory changes.</summary>
/// <remarks>
/// <see cref="Current"/> is a volatile read of an immutable set, so a request sees one whole version: read it once per
/// request, call <see cref="PolicySet.Decide"/> on it and record <see cref="PolicySet.Version"/> from the same instance.
/// File events are debounced (<see cref="PolicyProviderOptions.DebounceDelay"/>) and reloads are serialised. A reload
/// that fails validation keeps the last good set and raises <see cref="Reloaded"/> with every error.
/// </remarks>
public sealed class PolicyProvider : IDisposable
{
    private readonly Lock _reloadLock = new();
    private readonly PolicyProviderOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly FileSystemWatcher? _watcher;
    private readonly ITimer? _debounce;
    private volatile PolicySet _current;
    private bool _disposed;

    /// <summary>Starts with <paramref name="initial"/> (load it with <see cref="PolicyLoader.LoadDirectory"/>) and watches the directory if asked.</summary>
    public PolicyProvider(PolicySet initial, PolicyProviderOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(initial);
        ArgumentNullException.ThrowIfNull(options);
        _current = initial;
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        if (options.Watch)
        {
            _debounce = _timeProvider.CreateTimer(static s => ((PolicyProvider)s!).OnDebounceElapsed(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _watcher = new FileSystemWatcher(Path.GetFullPath(options.Directory))
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
                IncludeSubdirectories = false,
            };
            _watcher.Changed += OnFileEvent;
            _watcher.Created += OnFileEvent;
            _watcher.Deleted += OnFileEvent;
            _watcher.Renamed += OnFileEvent;
            _watcher.Error += (_, _) => ScheduleReload();
            _watcher.EnableRaisingEvents = true;
        }
    }

    /// <summary>Raised after a reload that changed the version or was rejected (not for reloads that found nothing new).</summary>
    /// <remarks>Raised on a timer thread; handlers should be quick (log, append an audit event) and must not throw.</remarks>
    public event Action<PolicyReloadResult>? Reloaded;

    /// <summary>The policy set in force.</summary>
    public PolicySet Current => _current;

    /// <summary>Reloads the directory now (also used by the watcher). Never throws for bad policy.</summary>
    public PolicyReloadResult Reload()
    {
        PolicyReloadResult result;
        lock (_reloadLock)
        {
            var previous = _current;
            var load = PolicyLoader.LoadDirectory(_options.Directory);
            var at = _timeProvider.GetUtcNow();
            if (!load.Succeeded)
            {
                result = new PolicyReloadResult
                {
                    Succeeded = false,
                    Changed = false,
                    Version = previous.Version,
                    PreviousVersion = previous.Version,
                    Errors = load.Errors,
                    At = at,
                };
            }
            else
            {
                var changed = load.Set!.Version != previous.Version;
                if (changed)
                {
                    _current = load.Set;
                }

                result = new PolicyReloadResult
                {
                    Succeeded = true,
                    Changed = changed,
                    Version = _current.Version,
                    PreviousVersion = previous.Version,
                    At = at,
                };
            }
        }

        if (!result.Succeeded || result.Changed)
        {
            Reloaded?.Invoke(result);
        }

        return result;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _watcher?.Dispose();
        _debounce?.Dispose();
    }

    private void OnFileEvent(object sender, FileSystemEventArgs e)
    {
        if (e.Name is { } name && (name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
            || (e is RenamedEventArgs r && r.OldName is { } old && (old.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || old.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)))))
        {
            ScheduleReload();
        }
    }

    private void ScheduleReload()
    {
        if (!_disposed)
        {
            _debounce?.Change(_options.DebounceDelay, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnDebounceElapsed()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            Reload();
        }
#pragma warning disable CA1031 // A failing subscriber or I/O race must not kill the timer thread; the last good policy stays.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
