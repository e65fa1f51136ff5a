// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Audit;
using Charter.Audit.Storage;
using Charter.AuditTrail;
using Charter.Records;
using Charter.Storage.Sqlite;

namespace Charter.Tests.Audit;

/// <summary>Journal events to audit leaves: completions folded into their request, and exactly once after a replay.</summary>
public sealed class AuditSinkTests
{
    [Fact]
    public void MapBatch_RequestAndCompletionTogether_OneLeafWithDecisionStatusAndUsage()
    {
        var events = AuditEventMapper.MapBatch([Request("r1"), Denied("r2"), Completion("r1", 200, 7, 9), Request("r3")]);

        Assert.Equal(["r1", "r2", "r3"], events.Select(e => e.Id));
        var r1 = events[0];
        Assert.Equal((AuditEventKinds.Request, "allow", 200, "acct-served"), (r1.Kind, r1.Decision, r1.Status!.Value, r1.Account!));
        Assert.Equal((7, 9), (r1.Usage!.PromptTokens, r1.Usage.CompletionTokens));
        Assert.Equal(403, events[1].Status);
        Assert.Null(events[2].Status);
    }

    [Fact]
    public void MapBatch_CompletionWithoutItsRequest_SeparateCompletedLeaf()
    {
        var events = AuditEventMapper.MapBatch([Completion("r0", 502, null, null), Request("r1")]);

        Assert.Equal(["r0:completed", "r1"], events.Select(e => e.Id));
        Assert.Equal((AuditEventKinds.RequestCompleted, 502), (events[0].Kind, events[0].Status!.Value));
        Assert.Null(events[0].Usage);
    }

    [Fact]
    public async Task ConsumeAsync_ReplayAfterCrashBeforePositionWrite_EveryEventOnceAndNoSeparateCompletion()
    {
        using var dir = new TempDirectory();
        var batch1 = new[] { Request("r1"), Completion("r1", 200, 3, 4), Request("r2") };
        var batch2 = new[] { Completion("r2", 200, 5, 6), Request("r3"), Completion("r3", 429, null, null), Denied("r4") };
        var store = new SqliteGatewayStore(dir.File("charter.db"));
        await store.MigrateAsync(TestContext.Current.CancellationToken);
        using var log = new AuditLog(new SqliteAuditStore(dir.File("charter.db")), AuditTestData.Options(dir));
        var sink = new AuditSink(log, store);
        await sink.ConsumeAsync(batch1, new JournalPosition(1, 100), TestContext.Current.CancellationToken);

        // The second batch reached the log but the process died before its position was stored.
        await log.AppendAsync(AuditEventMapper.MapBatch(batch2), TestContext.Current.CancellationToken);
        Assert.Equal(new JournalPosition(1, 100), await sink.GetPositionAsync(TestContext.Current.CancellationToken));

        // Restart: the replay starts at the stored position, so batch2 comes again, here with one more event.
        var restarted = new AuditSink(log, store);
        await restarted.ConsumeAsync([.. batch2, Request("r5")], new JournalPosition(1, 300), TestContext.Current.CancellationToken);

        var ids = (await log.GetEntriesAsync(0, log.Size, TestContext.Current.CancellationToken))
            .Select(l => AuditEventSerializer.Deserialize(l.Data.Span)!.Id).ToList();
        Assert.Equal(["r1", "r2", "r2:completed", "r3", "r4", "r5"], ids);
        Assert.Equal(new JournalPosition(1, 300), await restarted.GetPositionAsync(TestContext.Current.CancellationToken));
    }

    private static JournalEvent Request(string id) => new()
    {
        Kind = "request", Id = id, Ts = AuditTestData.Start, Key = "key-1", Team = "team-1", Provider = "openai", Account = "acct-planned",
        Model = "gpt-4o-mini", Purpose = "testing", Endpoint = "chat.completions", Decision = "allow", PolicyVersion = "pv",
    };

    private static JournalEvent Denied(string id) => new()
    {
        Kind = "request", Id = id, Ts = AuditTestData.Start, Key = "key-1", Decision = "deny", Code = "charter_policy_denied", Status = 403,
    };

    private static JournalEvent Completion(string id, int status, int? prompt, int? completion) => new()
    {
        Kind = "completion", Id = id, Ts = AuditTestData.Start.AddSeconds(1), Key = "key-1", Provider = "openai", Account = "acct-served",
        Status = status, PromptTokens = prompt, CompletionTokens = completion,
    };
}
