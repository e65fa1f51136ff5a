// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Providers;

/// <summary>Opens after consecutive failures so routing prefers healthy accounts; half-opens after a cool-down.</summary>
public sealed class CircuitBreaker
{
    private const int Threshold = 5;
    private static readonly long s_coolDown = TimeSpan.FromSeconds(15).Ticks;
    private int _failures;
    private long _openUntil;

    /// <summary>Whether the account should be skipped while others are available.</summary>
    public bool IsOpen(long nowTicks) => Volatile.Read(ref _openUntil) > nowTicks;

    /// <summary>Records a success.</summary>
    public void Success()
    {
        if (_failures != 0)
        {
            Interlocked.Exchange(ref _failures, 0);
        }
    }

    /// <summary>Records a failure.</summary>
    public void Failure(long nowTicks)
    {
        if (Interlocked.Increment(ref _failures) >= Threshold)
        {
            Volatile.Write(ref _openUntil, nowTicks + s_coolDown);
        }
    }
}
