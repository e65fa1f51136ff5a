// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Running;

/// <summary>Live counters of one model in a running evaluation (updated with interlocked operations).</summary>
public sealed class ModelProgress(string model, int total)
{
    private int _done;
    private int _errors;
    private int _passed;
    private int _cached;

    public string Model { get; } = model;

    public int Total { get; } = total;

    public int Done => Volatile.Read(ref _done);

    public int Errors => Volatile.Read(ref _errors);

    public int Passed => Volatile.Read(ref _passed);

    public int Cached => Volatile.Read(ref _cached);

    /// <summary>Passed / done so far (0 before the first result).</summary>
    public double RunningAccuracy => Done == 0 ? 0 : (double)Passed / Done;

    internal void Record(bool passed, bool error, bool cached)
    {
        if (passed)
        {
            Interlocked.Increment(ref _passed);
        }

        if (error)
        {
            Interlocked.Increment(ref _errors);
        }

        if (cached)
        {
            Interlocked.Increment(ref _cached);
        }

        Interlocked.Increment(ref _done);
    }
}
