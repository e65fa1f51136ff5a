// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Runtime.CompilerServices;

namespace Charter.Audit.Threading;

/// <summary>
/// <c>await ThreadPoolHop.Instance</c> continues on a thread-pool thread when the caller runs on any other thread, and
/// goes straight on when it already runs on one. With inline scheduling (<c>Gateway:InlineScheduling</c> and
/// <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>) request handlers and the continuations of socket reads run on
/// the socket event threads themselves, which also serve every other connection; work that may block (SQLite calls of
/// the admin API) or run for milliseconds (integrating a batch after a PostgreSQL read) hops off them first.
/// </summary>
public readonly struct ThreadPoolHop : ICriticalNotifyCompletion
{
    /// <summary>The awaitable.</summary>
    public static ThreadPoolHop Instance => default;

    /// <summary>True when already on a thread-pool thread: no hop.</summary>
    public bool IsCompleted => Thread.CurrentThread.IsThreadPoolThread;

    /// <summary>Returns the awaiter (itself).</summary>
    public ThreadPoolHop GetAwaiter() => this;

    /// <summary>Nothing to return.</summary>
    public void GetResult()
    {
    }

    /// <inheritdoc/>
    public void OnCompleted(Action continuation) => ThreadPool.QueueUserWorkItem(static c => c(), continuation, preferLocal: false);

    /// <inheritdoc/>
    public void UnsafeOnCompleted(Action continuation) => ThreadPool.UnsafeQueueUserWorkItem(static c => c(), continuation, preferLocal: false);
}
