// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace Charter.Tests.Sim;

/// <summary>Reads a simulator stream paced by a fake clock (time to first token 1,000 ms): nothing may arrive in the first
/// 900 ms; the rest is read as the clock moves on.</summary>
internal static class PacedStream
{
    /// <summary>Posts <paramref name="body"/> to <paramref name="path"/>, asserts that no byte arrives before the time to first
    /// token, and reads until the text holds <paramref name="end"/>. Returns the first read's text and all of it.</summary>
    public static async Task<(string First, string All)> ReadAsync(SimTestClient client, FakeTimeProvider clock, string path, string body, string end)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, SimTestClient.Ct);
        await using var stream = await response.Content.ReadAsStreamAsync(SimTestClient.Ct);
        var buffer = new byte[64 * 1024];

        var firstRead = stream.ReadAsync(buffer, SimTestClient.Ct).AsTask();
        for (var i = 0; i < 9; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.WhenAny(firstRead, Task.Delay(2, SimTestClient.Ct));
        }

        Assert.False(firstRead.IsCompleted, "no byte may arrive before the time to first token");
        var first = Encoding.UTF8.GetString(buffer, 0, await AdvanceUntil(clock, firstRead));
        var all = new StringBuilder(first);
        while (!all.ToString().Contains(end, StringComparison.Ordinal))
        {
            var n = await AdvanceUntil(clock, stream.ReadAsync(buffer, SimTestClient.Ct).AsTask());
            Assert.NotEqual(0, n);
            all.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }

        return (first, all.ToString());
    }

    /// <summary>Advances the fake clock in small steps until <paramref name="task"/> completes (the timer may be created late).</summary>
    public static async Task<T> AdvanceUntil<T>(FakeTimeProvider clock, Task<T> task)
    {
        for (var i = 0; i < 10_000 && !task.IsCompleted; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(50));
            await Task.WhenAny(task, Task.Delay(1, SimTestClient.Ct));
        }

        return await task;
    }
}
