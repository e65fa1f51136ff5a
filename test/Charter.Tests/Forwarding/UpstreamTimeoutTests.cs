// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Forwarding;
using Xunit;

namespace Charter.Tests.Forwarding;

public sealed class UpstreamTimeoutTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Start_LimitElapses_CancelsToken()
    {
        using var timeout = UpstreamTimeout.Start(TimeSpan.FromMilliseconds(20), CancellationToken.None);

        var cancelled = await WaitCancelledAsync(timeout.Token);

        Assert.True(cancelled);
    }

    [Fact]
    public void Start_ClientDisconnects_CancelsToken()
    {
        using var client = new CancellationTokenSource();
        using var timeout = UpstreamTimeout.Start(Long, client.Token);
        Assert.False(timeout.Token.IsCancellationRequested);

        client.Cancel();

        Assert.True(timeout.Token.IsCancellationRequested);
    }

    [Fact]
    public void Start_ClientAlreadyGone_StartsCancelled()
    {
        using var timeout = UpstreamTimeout.Start(Long, new CancellationToken(canceled: true));

        Assert.True(timeout.Token.IsCancellationRequested);
    }

    [Fact]
    public void Dispose_ThenClientOfTheEndedAttemptDisconnects_LaterAttemptIsNotCancelled()
    {
        using var firstClient = new CancellationTokenSource();
        var first = UpstreamTimeout.Start(Long, firstClient.Token);
        first.Dispose();
        using var second = UpstreamTimeout.Start(Long, CancellationToken.None);

        firstClient.Cancel();

        Assert.False(second.Token.IsCancellationRequested);
    }

    [Fact]
    public async Task Dispose_ThenLimitOfTheEndedAttemptPasses_LaterAttemptIsNotCancelled()
    {
        var first = UpstreamTimeout.Start(TimeSpan.FromMilliseconds(30), CancellationToken.None);
        first.Dispose();
        using var second = UpstreamTimeout.Start(Long, CancellationToken.None);

        await Task.Delay(300);

        Assert.False(second.Token.IsCancellationRequested);
    }

    [Fact]
    public void Dispose_CancelledAttempt_NextAttemptStartsUncancelled()
    {
        using var client = new CancellationTokenSource();
        var first = UpstreamTimeout.Start(Long, client.Token);
        client.Cancel();
        first.Dispose();

        using var second = UpstreamTimeout.Start(Long, CancellationToken.None);

        Assert.False(second.Token.IsCancellationRequested);
    }

    [Fact]
    public void Start_ManyAttemptsInSequence_ReuseOneSource()
    {
        var tokens = new HashSet<CancellationToken>();
        for (var i = 0; i < 50; i++)
        {
            using var timeout = UpstreamTimeout.Start(Long, CancellationToken.None);
            tokens.Add(timeout.Token);
        }

        // Other tests may run in parallel and take a pooled source too; sequential attempts still share very few.
        Assert.True(tokens.Count < 10, $"{tokens.Count} distinct sources for 50 sequential attempts");
    }

    private static async Task<bool> WaitCancelledAsync(CancellationToken token)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(30), token);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }
}
