// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.FunctionalTests.Infrastructure;
using Charter.Storage;
using Charter.Tests.Common;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Chat;

namespace Charter.FunctionalTests.Durability;

/// <summary>
/// <c>Records:Fsync=always</c>: a request is forwarded only once its journal entry is on disk, so every request waits for
/// the journal's flusher. The flusher sleeps until an append wakes it; a burst, a pause and a lone request after it must
/// all be served (a flusher that failed to wake would hang them) and all be recorded.
/// </summary>
public sealed class FsyncAlwaysTests
{
    [Fact]
    public async Task Chat_FsyncAlwaysBurstThenPause_EveryCallServedAndRecorded()
    {
        await using var gw = await TestGateway.StartAsync(s => s.Overrides["Records:Fsync"] = "always");
        var (key, _) = await gw.CreateKeyAsync();
        var client = Sdk.Chat(gw, key);
        ChatMessage[] prompt = [new UserChatMessage("Name a colour.")];
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 8 };

        var burst = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => client.CompleteChatAsync(prompt, options)));
        await Task.Delay(300); // the flusher goes back to sleep
        var lone = await client.CompleteChatAsync(prompt, options);

        Assert.All(burst, r => Assert.False(string.IsNullOrEmpty(r.Value.Content[0].Text)));
        Assert.Equal(burst[0].Value.Content[0].Text, lone.Value.Content[0].Text);
        await gw.WaitForRecordsAsync();
        var statuses = new List<int?>();
        await foreach (var r in gw.App.Services.GetRequiredService<IGatewayStore>().ReadRequestsAsync(null, null))
        {
            statuses.Add(r.Status);
        }

        Assert.Equal(25, statuses.Count);
        Assert.All(statuses, s => Assert.Equal(200, s));
    }
}
