// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Audit.Threading;

namespace Charter.Tests.Hosting;

/// <summary>The lane of the background writers: its own thread, never a pool worker, work in the order posted.</summary>
public sealed class SerialLaneTests
{
    [Fact]
    public async Task Await_FromThreadPool_ContinuesOnTheLanesOwnThread()
    {
        using var lane = new SerialLane("test lane");
        var (name, onPool, isCurrent) = await Task.Run(async () =>
        {
            await lane;
            return (Thread.CurrentThread.Name, Thread.CurrentThread.IsThreadPoolThread, lane.IsCurrent);
        });

        Assert.Equal("test lane", name);
        Assert.False(onPool);
        Assert.True(isCurrent);
        Assert.False(await Task.Run(() => lane.IsCurrent));
    }

    [Fact]
    public async Task Await_OnTheLane_GoesStraightOnOnTheSameThread()
    {
        using var lane = new SerialLane("test lane");
        var (completed, same) = await Task.Run(async () =>
        {
            await lane;
            var id = Environment.CurrentManagedThreadId;
            var c = lane.GetAwaiter().IsCompleted;
            await lane;
            return (c, id == Environment.CurrentManagedThreadId);
        });

        Assert.True(completed);
        Assert.True(same);
    }

    [Fact]
    public async Task Constructor_WithSlice_TheLanesThreadRunsWithThatSliceAndOthersDoNot()
    {
        // Linux 6.12 and later take a slice per thread (EEVDF); elsewhere the lane runs with the system's.
        var before = await Task.Run(ThreadSlice.Get);
        if (!OperatingSystem.IsLinux() || Environment.OSVersion.Version < new Version(6, 12))
        {
            Assert.Skip("A time slice per thread needs Linux 6.12 or later.");
        }

        using var lane = new SerialLane("test lane", TimeSpan.FromMicroseconds(250));
        using var plain = new SerialLane("plain lane");
        var onLane = await Task.Run(async () =>
        {
            await lane;
            return ThreadSlice.Get();
        });
        var onPlain = await Task.Run(async () =>
        {
            await plain;
            return ThreadSlice.Get();
        });

        Assert.Equal(TimeSpan.FromMicroseconds(250), onLane);
        Assert.NotEqual(TimeSpan.FromMicroseconds(250), onPlain);
        Assert.Equal(before, onPlain);
    }

    [Fact]
    public void Post_ManyContinuations_RunOneAtATimeInTheOrderPosted()
    {
        using var lane = new SerialLane("test lane");
        var order = new List<int>();
        var inside = 0;
        var overlapped = false;
        using var done = new CountdownEvent(100);
        for (var i = 0; i < 100; i++)
        {
            var n = i;
            lane.GetAwaiter().UnsafeOnCompleted(() =>
            {
                overlapped |= Interlocked.Increment(ref inside) > 1;
                if (n % 10 == 0)
                {
                    Thread.Sleep(2); // the next ones queue up meanwhile
                }

                order.Add(n);
                Interlocked.Decrement(ref inside);
                done.Signal();
            });
        }

        Assert.True(done.Wait(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.False(overlapped);
        Assert.Equal(Enumerable.Range(0, 100), order);
    }

    [Fact]
    public async Task Dispose_WithWorkQueued_RunsItThenEndsTheThread()
    {
        var lane = new SerialLane("test lane");
        using var hold = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        Thread? thread = null;
        var ranAfter = false;
        lane.GetAwaiter().UnsafeOnCompleted(() =>
        {
            thread = Thread.CurrentThread;
            started.Set();
            hold.Wait(TimeSpan.FromSeconds(30));
        });
        lane.GetAwaiter().UnsafeOnCompleted(() => ranAfter = true);
        Assert.True(started.Wait(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));

        var disposing = Task.Run(lane.Dispose, TestContext.Current.CancellationToken);
        Assert.False(disposing.IsCompleted); // it waits for the queued work
        hold.Set();
        await disposing.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.True(ranAfter);
        Assert.False(thread!.IsAlive);
    }

    [Fact]
    public async Task Await_AfterDispose_StillContinuesOnThePool()
    {
        var lane = new SerialLane("test lane");
        lane.Dispose();
        lane.Dispose(); // twice: no-op

        var onPool = await Task.Run(async () =>
        {
            await Task.Yield();
            await lane;
            return Thread.CurrentThread.IsThreadPoolThread;
        });

        Assert.True(onPool);
    }
}
