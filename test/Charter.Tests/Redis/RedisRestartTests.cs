// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Diagnostics;
using Charter.Accounting;
using Charter.Redis;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Charter.Tests.Redis;

/// <summary>A private redis-server that the test stops and restarts, to observe outage and recovery.</summary>
public sealed class RedisRestartTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Outage_StoreUnavailableThenRecovers_NotifierResyncsAndDeliversAgain()
    {
        Assert.NotNull(redis.Endpoint);
        var ct = TestContext.Current.CancellationToken;
        var port = RedisLimitStoreTests.FreePort();
        var options = Options.Create(new LimitsOptions { RedisKeyPrefix = "charter-restart:", RedisTimeoutMs = 2000 });
        Process? server = StartServer(port);
        try
        {
            using var connection = RedisConnectionFactory.Connect($"127.0.0.1:{port}", 2000);
            await WaitUntil(() => connection.IsConnected, ct);
            var store = new RedisLimitStore(connection, options, TimeProvider.System, NullLogger<RedisLimitStore>.Instance);
            using var notifier = new RedisChangeNotifier(connection, options, NullLogger<RedisChangeNotifier>.Instance);
            var resync = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var revoked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var subscription = notifier.Subscribe(c =>
            {
                if (c.Kind == ChangeKind.Resync)
                {
                    resync.TrySetResult();
                }
                else if (c.Kind == ChangeKind.Revoked)
                {
                    revoked.TrySetResult();
                }
            });
            var request = new AdmissionRequest("key", new LimitSet { RequestsPerMinute = 100 }, null, null, 1);
            Assert.True((await store.TryAcquireAsync(request, ct)).Allowed);

            Stop(server);
            server = null;
            await WaitUntil(() => !connection.IsConnected, ct);
            var during = await store.TryAcquireAsync(request, ct);
            var publishedDuring = await notifier.PublishAsync(new ChangeNotification(ChangeEntity.Key, "key", ChangeKind.Revoked), ct);

            server = StartServer(port);
            await resync.Task.WaitAsync(Patience, ct);
            var after = await store.TryAcquireAsync(request, ct);

            // The resync says the subscription is live again; the interactive connection may still be settling on a busy
            // machine (CI once saw the first publish after it refused), so publishing must succeed within the patience.
            var deadline = Stopwatch.StartNew();
            while (!await notifier.PublishAsync(new ChangeNotification(ChangeEntity.Key, "key", ChangeKind.Revoked), ct))
            {
                Assert.True(deadline.Elapsed < Patience, "publishing did not recover after the resync");
                await Task.Delay(50, ct);
            }

            await revoked.Task.WaitAsync(Patience, ct);

            Assert.Equal(LimitKind.Unavailable, during.Limit);
            Assert.False(publishedDuring);
            Assert.True(after.Allowed);
        }
        finally
        {
            if (server is not null)
            {
                Stop(server);
            }
        }
    }

    private static Process StartServer(int port)
    {
        var info = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no" })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start (is it installed? eng/services.sh start)");
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit();
        }

        process.Dispose();
    }

    private static async Task WaitUntil(Func<bool> condition, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > Patience)
            {
                throw new TimeoutException("condition not reached");
            }

            await Task.Delay(50, ct);
        }
    }
}
