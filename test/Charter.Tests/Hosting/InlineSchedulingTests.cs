// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Audit.Threading;
using Charter.Hosting;
using Microsoft.AspNetCore.Http;

namespace Charter.Tests.Hosting;

/// <summary>Inline scheduling's guard rails: what leaves a socket event thread, and what stays on it.</summary>
public sealed class InlineSchedulingTests
{
    [Fact]
    public async Task ThreadPoolHop_OnDedicatedThread_ContinuesOnThreadPool()
    {
        var (before, after) = await OnDedicatedThread(async () =>
        {
            var b = Thread.CurrentThread.IsThreadPoolThread;
            await ThreadPoolHop.Instance;
            return (b, Thread.CurrentThread.IsThreadPoolThread);
        });

        Assert.False(before);
        Assert.True(after);
    }

    [Fact]
    public async Task ThreadPoolHop_OnThreadPoolThread_StaysOnSameThread()
    {
        var (completed, same) = await Task.Run(async () =>
        {
            var id = Environment.CurrentManagedThreadId;
            var c = ThreadPoolHop.Instance.IsCompleted;
            await ThreadPoolHop.Instance;
            return (c, id == Environment.CurrentManagedThreadId);
        });

        Assert.True(completed);
        Assert.True(same);
    }

    [Theory]
    [InlineData("/admin/v1/keys", true)]
    [InlineData("/audit/v1/status", true)]
    [InlineData("/openapi/admin.json", true)]
    [InlineData("/v1/chat/completions", false)]
    [InlineData("/v1/models", false)]
    [InlineData("/healthz", false)]
    public async Task InvokeAsync_OnSocketThread_MovesOnlyControlPlaneToThreadPool(string path, bool expectedOnPool)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        var ranOnPool = await OnDedicatedThread(async () =>
        {
            var onPool = false;
            await ControlPlaneOffload.InvokeAsync(context, _ =>
            {
                onPool = Thread.CurrentThread.IsThreadPoolThread;
                return Task.CompletedTask;
            });
            return onPool;
        });

        Assert.Equal(expectedOnPool, ranOnPool);
    }

    [Theory]
    [InlineData("/v1", true)]
    [InlineData("/v1/embeddings", true)]
    [InlineData("/V1/chat/completions", false)]
    [InlineData("/v10/x", false)]
    [InlineData("/healthz/x", true)]
    [InlineData("/admin/v1/teams", false)]
    public void IsDataPlane_Path_MatchesWholeSegments(string path, bool expected) =>
        Assert.Equal(expected, ControlPlaneOffload.IsDataPlane(path));

    /// <summary>Starts <paramref name="body"/> on a new, non-pool thread (a stand-in for a socket event thread).</summary>
    private static Task<T> OnDedicatedThread<T>(Func<Task<T>> body)
    {
        var result = new TaskCompletionSource<Task<T>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() => result.SetResult(body())) { IsBackground = true };
        thread.Start();
        return result.Task.Unwrap();
    }
}
