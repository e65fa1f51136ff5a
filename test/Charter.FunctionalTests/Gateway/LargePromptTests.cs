// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;
using Charter.Audit;
using Charter.Detection;
using Charter.FunctionalTests.Infrastructure;
using Charter.Storage;
using Charter.Tests.Common;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Chat;

namespace Charter.FunctionalTests.Gateway;

/// <summary>
/// Prompts of a few hundred KB (long chat histories): the journal's events refer to the bodies it holds in its mapped
/// segments, which roll and are released while the records, the audit log and detection read them.
/// </summary>
public sealed class LargePromptTests
{
    [Fact]
    public async Task CompleteChat_LargePromptsAcrossSegmentRolls_EachRecordedAuditedAndObserved()
    {
        const int Count = 8;
        await using var gw = await TestGateway.StartAsync(s => s.Overrides["Records:SegmentBytes"] = (1024 * 1024).ToString(CultureInfo.InvariantCulture));
        var (key, keyId) = await gw.CreateKeyAsync();
        var client = Sdk.Chat(gw, key);

        for (var i = 0; i < Count; i++)
        {
            // ~300 KB each: above the large-object-heap threshold; three of them fill a 1 MiB segment.
            var prompt = $"Question {i}: " + new string((char)('a' + i), 300_000);
            ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage(prompt)], new ChatCompletionOptions { MaxOutputTokenCount = 4 });
            Assert.Equal(4, completion.Usage.OutputTokenCount);
        }

        var records = await GatewayRecords.AllAsync(gw);

        Assert.Equal(Count, records.Count);
        Assert.All(records, r =>
        {
            Assert.Equal(200, r.Status);
            Assert.Equal(keyId, r.Key);
            Assert.NotNull(r.RequestJson);
            Assert.True(r.RequestJson.Length < 1_000, $"stored request of {r.RequestJson.Length} chars"); // the messages are redacted
        });
        Assert.Equal(Count, records.Select(r => r.RequestJson).Distinct().Count()); // each keeps its own messages hash

        // The sinks run after the records in each batch.
        var engine = gw.App.Services.GetRequiredService<DetectionSink>().Engine;
        var audit = gw.App.Services.GetRequiredService<AuditLog>();
        var requestLeaves = 0;
        for (var wait = 0; wait < 200 && (engine.Observed < Count || requestLeaves < Count); wait++)
        {
            await Task.Delay(50);
            var leaves = await audit.GetEntriesAsync(0, await audit.GetSizeAsync());
            requestLeaves = leaves.Count(l => AuditEventSerializer.Deserialize(l.Data.Span) is { Kind: AuditEventKinds.Request }); // with its completion, or followed by it when a batch fell between them
        }

        Assert.Equal(Count, engine.Observed);
        Assert.Equal(Count, requestLeaves);

        // Every segment the integrator has passed is released (unmapped and deleted or kept as the spare) after the batch.
        var segments = Directory.GetFiles(Path.Combine(gw.Directory, "journal"), "journal-*.log");
        for (var wait = 0; wait < 100 && segments.Length > 2; wait++)
        {
            await Task.Delay(50);
            segments = Directory.GetFiles(Path.Combine(gw.Directory, "journal"), "journal-*.log");
        }

        Assert.True(segments.Length <= 2, $"{segments.Length} segments left: {string.Join(", ", segments.Select(Path.GetFileName))}");
    }
}
