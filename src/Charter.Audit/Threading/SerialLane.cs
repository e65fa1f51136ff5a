// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Charter.Audit.Threading;

/// <summary>
/// A thread of its own that runs, in order, the continuations posted to it: <c>await lane</c> continues on that thread
/// (at once when the caller already runs on it). Background writers that block in the file system (SQLite commits and
/// checkpoints, <c>fsync</c>, unmapping and deleting journal segments) run here instead of on the thread pool.
/// </summary>
/// <remarks>
/// On the pool a batch blocked in <c>fsync</c> for tens of milliseconds held a worker the request path needed: the socket
/// engine hands every socket event to the pool, whose workers run the requests, and with two cores the pool runs few of
/// them; requests waited behind the batch with the core idle (p99 spikes of 20-70 ms at saturation; the pool's
/// starvation detection added a thread every half second, 3 to 18 threads in one 8 s run). Here the blocking costs this
/// thread alone. The thread is a background thread: it does not keep the process alive; <see cref="Dispose"/> runs what
/// is queued, then ends it.
/// </remarks>
public sealed class SerialLane : IDisposable
{
    private readonly BlockingCollection<(Action<object?> Run, object? State)> _queue = new(new ConcurrentQueue<(Action<object?>, object?)>());
    private readonly Thread _thread;
    private readonly TimeSpan _slice;
    private int _disposed;

    /// <summary>Starts the lane's thread.</summary>
    /// <param name="name">The thread's name (as tools such as <c>top -H</c> and <c>perf</c> show it, first 15 bytes).</param>
    /// <param name="slice">A time slice to ask the scheduler for (<see cref="ThreadSlice"/>); zero keeps the system's.</param>
    public SerialLane(string name, TimeSpan slice = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _slice = slice;
        _thread = new Thread(Loop) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>True when the caller runs on this lane's thread.</summary>
    public bool IsCurrent => Thread.CurrentThread == _thread;

    /// <summary>The awaiter: <c>await lane</c> continues on the lane.</summary>
    public Awaiter GetAwaiter() => new(this);

    /// <summary>Runs what is queued, then ends the thread (waits for it unless called on it).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.CompleteAdding();
        if (!IsCurrent)
        {
            _thread.Join();
            _queue.Dispose();
        }
    }

    private void Post(Action<object?> run, object? state)
    {
        try
        {
            _queue.Add((run, state));
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
        {
            // After Dispose a late continuation still runs (on the pool) rather than being lost with its task.
            ThreadPool.UnsafeQueueUserWorkItem(run, state, preferLocal: false);
        }
    }

    private void Loop()
    {
        if (_slice > TimeSpan.Zero)
        {
            ThreadSlice.TrySet(_slice); // best effort: where the system does not take it, the lane runs as before
        }

        foreach (var (run, state) in _queue.GetConsumingEnumerable())
        {
            run(state);
        }
    }

    /// <summary>Continues on the lane.</summary>
    public readonly struct Awaiter : ICriticalNotifyCompletion
    {
        private readonly SerialLane _lane;

        internal Awaiter(SerialLane lane) => _lane = lane;

        /// <summary>True on the lane's thread: no hop.</summary>
        public bool IsCompleted => _lane.IsCurrent;

        /// <summary>Nothing to return.</summary>
        public void GetResult()
        {
        }

        /// <inheritdoc/>
        public void OnCompleted(Action continuation)
        {
            var context = ExecutionContext.Capture();
            _lane.Post(static s =>
            {
                var (c, ec) = ((Action, ExecutionContext?))s!;
                if (ec is null)
                {
                    c();
                }
                else
                {
                    ExecutionContext.Run(ec, static a => ((Action)a!)(), c);
                }
            }, (continuation, context));
        }

        /// <inheritdoc/>
        public void UnsafeOnCompleted(Action continuation) => _lane.Post(static c => ((Action)c!)(), continuation);
    }
}
