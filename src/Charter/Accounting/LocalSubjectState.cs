// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Accounting;

/// <summary>Counters of one key or team in this process: a 60-second window of sub-buckets, concurrency, spend.</summary>
/// <remarks>
/// Guarded by <see cref="Gate"/> (one lock per subject, so different keys never contend). The window is a ring
/// of <c>n</c> buckets, each tagged with its absolute bucket number, so stale slots are recognised without a sweep.
/// </remarks>
internal sealed class LocalSubjectState
{
    private readonly long[] _bucketIds;
    private readonly long[] _requests;
    private readonly long[] _tokens;
    private long _dayIndex = long.MinValue;
    private long _daySpent;
    private long _monthIndex = long.MinValue;
    private long _monthSpent;

    public LocalSubjectState(int buckets)
    {
        _bucketIds = new long[buckets];
        _requests = new long[buckets];
        _tokens = new long[buckets];
        Array.Fill(_bucketIds, long.MinValue);
    }

    public Lock Gate { get; } = new();

    public int Concurrent { get; set; }

    private int Size => _bucketIds.Length;

    /// <summary>Sums the window ending at bucket <paramref name="current"/> and finds the newest non-empty buckets.</summary>
    public void Scan(long current, out long requests, out long tokens, out long newestRequest, out long newestToken)
    {
        requests = 0;
        tokens = 0;
        newestRequest = long.MinValue;
        newestToken = long.MinValue;
        var oldest = current - Size + 1;
        for (var i = 0; i < _bucketIds.Length; i++)
        {
            var id = _bucketIds[i];
            if (id < oldest || id > current)
            {
                continue;
            }

            requests += _requests[i];
            tokens += _tokens[i];
            if (_requests[i] > 0 && id > newestRequest)
            {
                newestRequest = id;
            }

            if (_tokens[i] > 0 && id > newestToken)
            {
                newestToken = id;
            }
        }
    }

    /// <summary>Bucket whose expiry frees enough room for <paramref name="need"/> more units, or the window end.</summary>
    public long FreeingBucket(bool tokens, long current, long used, long need, long limit)
    {
        var values = tokens ? _tokens : _requests;
        var freed = 0L;
        for (var b = current - Size + 1; b <= current; b++)
        {
            var slot = Slot(b);
            if (_bucketIds[slot] == b)
            {
                freed += values[slot];
            }

            if (used - freed + need <= limit)
            {
                return b;
            }
        }

        return current;
    }

    public void Charge(long current, long tokens)
    {
        var slot = AddTokens(current, tokens);
        _requests[slot]++;
    }

    private int AddTokens(long current, long tokens)
    {
        var slot = Slot(current);
        if (_bucketIds[slot] != current)
        {
            _bucketIds[slot] = current;
            _requests[slot] = 0;
            _tokens[slot] = 0;
        }

        _tokens[slot] += tokens;
        return slot;
    }

    /// <summary>Moves the charged estimate to the real figure; a late positive difference lands in the current bucket.</summary>
    public void Reconcile(long chargedBucket, long current, long delta)
    {
        if (delta == 0)
        {
            return;
        }

        var slot = Slot(chargedBucket);
        if (chargedBucket > current - Size && _bucketIds[slot] == chargedBucket)
        {
            _tokens[slot] = Math.Max(0, _tokens[slot] + delta);
        }
        else if (delta > 0)
        {
            AddTokens(current, delta);
        }
    }

    public long DaySpent(long dayIndex) => _dayIndex == dayIndex ? _daySpent : 0;

    public long MonthSpent(long monthIndex) => _monthIndex == monthIndex ? _monthSpent : 0;

    public void AddSpend(long dayIndex, long monthIndex, long nanoUsd)
    {
        if (_dayIndex != dayIndex)
        {
            _dayIndex = dayIndex;
            _daySpent = 0;
        }

        if (_monthIndex != monthIndex)
        {
            _monthIndex = monthIndex;
            _monthSpent = 0;
        }

        _daySpent += nanoUsd;
        _monthSpent += nanoUsd;
    }

    private int Slot(long bucket) => (int)(((bucket % Size) + Size) % Size);
}
