// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Collections.Concurrent;

namespace Charter.Forwarding;

/// <summary>
/// The cancellation of one upstream attempt: cancelled when the attempt's time is up or when the client goes away.
/// Its token source is pooled (reset with <see cref="CancellationTokenSource.TryReset"/>, which also stops its timer: the
/// pattern YARP's forwarder uses), so an attempt allocates no linked source, timer or link registration.
/// </summary>
internal readonly struct UpstreamTimeout : IDisposable
{
    private const int MaxPooled = 256;
    private static readonly ConcurrentQueue<CancellationTokenSource> Pool = new();
    private static int s_pooled;

    private readonly CancellationTokenSource _source;
    private readonly CancellationTokenRegistration _client;

    private UpstreamTimeout(CancellationTokenSource source, CancellationTokenRegistration client)
    {
        _source = source;
        _client = client;
    }

    /// <summary>Cancelled when the attempt's time is up or the client disconnects.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>Starts an attempt that may last <paramref name="limit"/>, cancelled early with <paramref name="client"/>.</summary>
    public static UpstreamTimeout Start(TimeSpan limit, CancellationToken client)
    {
        var source = Rent();
        // The client's token cancels the attempt; the registration goes when the attempt ends.
        var link = client.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), source);
        source.CancelAfter(limit);
        return new UpstreamTimeout(source, link);
    }

    /// <summary>Ends the attempt: unlinks the client and returns the source to the pool unless it was cancelled.</summary>
    public void Dispose()
    {
        // Unregistering waits for a running callback, so the client cannot cancel the source once it is reset.
        _client.Dispose();
        if (_source.TryReset())
        {
            if (Interlocked.Increment(ref s_pooled) <= MaxPooled)
            {
                Pool.Enqueue(_source);
                return;
            }

            Interlocked.Decrement(ref s_pooled);
        }

        _source.Dispose();
    }

    private static CancellationTokenSource Rent()
    {
        while (Pool.TryDequeue(out var source))
        {
            Interlocked.Decrement(ref s_pooled);
            // A timer that fired while its attempt was being reset leaves a cancelled source: never hand that out.
            if (!source.IsCancellationRequested)
            {
                return source;
            }

            source.Dispose();
        }

        return new CancellationTokenSource();
    }
}
