// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Audit.Storage;
using Charter.FunctionalTests.Infrastructure;
using Charter.Storage;
using Charter.Storage.Postgres;
using Charter.Tests.Common;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenAI.Chat;

namespace Charter.FunctionalTests.Storage;

/// <summary>A whole gateway on PostgreSQL (<c>--db postgres://…</c>): a chat request through the OpenAI SDK lands in the database.</summary>
public sealed class PostgresGatewayTests
{
    [Fact]
    public async Task CompleteChat_GatewayOnPostgres_RecordAndAuditLeafLandInPostgres()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        var gw = await TestGateway.StartAsync(settings =>
        {
            settings.Database = database.Url;
            settings.Overrides["Charter:Audit:KeyDirectory"] = Path.Combine(Path.GetDirectoryName(settings.Overrides["Records:JournalDirectory"]!)!, "audit-keys");
        });
        string keyId;
        ChatCompletion completion;
        try
        {
            Assert.IsType<PostgresGatewayStore>(gw.App.Services.GetRequiredService<IGatewayStore>());
            Assert.IsType<PostgresAuditStore>(gw.App.Services.GetRequiredService<IAuditStore>());
            (var key, keyId) = await gw.CreateKeyAsync();

            completion = await Sdk.Chat(gw, key).CompleteChatAsync([new UserChatMessage("Say hello from PostgreSQL.")], new ChatCompletionOptions { MaxOutputTokenCount = 7 });
            await gw.WaitForRecordsAsync();

            // The audit sink integrates behind the records; wait (bounded) until the leaf is there.
            var audit = gw.App.Services.GetRequiredService<IAuditStore>();
            for (var i = 0; i < 200 && await SizeOrZeroAsync(audit) < 1; i++)
            {
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }
        }
        finally
        {
            await gw.DisposeAsync();
        }

        // Read back with a plain connection, after the gateway is gone: the data is in PostgreSQL, not in memory.
        await using var c = new NpgsqlConnection(database.ConnectionString);
        await c.OpenAsync(TestContext.Current.CancellationToken);
        await using (var cmd = new NpgsqlCommand("SELECT key_id, status, prompt_tokens, completion_tokens, purpose, request, ts FROM requests", c))
        await using (var r = await cmd.ExecuteReaderAsync(TestContext.Current.CancellationToken))
        {
            Assert.True(await r.ReadAsync(TestContext.Current.CancellationToken));
            Assert.Equal(keyId, r.GetString(0));
            Assert.Equal(200, r.GetInt32(1));
            Assert.Equal(completion.Usage.InputTokenCount, r.GetInt32(2));
            Assert.Equal(7, r.GetInt32(3));
            Assert.Equal("testing", r.GetString(4));
            Assert.DoesNotContain("Say hello", r.GetString(5), StringComparison.Ordinal);
            Assert.Equal(TimeSpan.Zero, r.GetFieldValue<DateTimeOffset>(6).Offset);
            Assert.False(await r.ReadAsync(TestContext.Current.CancellationToken));
        }

        // The audit leaf is written behind the records (and its tables on first use): poll the database itself, bounded.
        for (var i = 0; i < 100; i++)
        {
            await using var probe = new NpgsqlCommand("SELECT to_regclass('audit_leaves') IS NOT NULL AND EXISTS (SELECT 1 FROM pg_class WHERE relname = 'audit_leaves')", c);
            if (await probe.ExecuteScalarAsync(TestContext.Current.CancellationToken) is true)
            {
                await using var count = new NpgsqlCommand("SELECT COUNT(*) FROM audit_leaves", c);
                if ((long)(await count.ExecuteScalarAsync(TestContext.Current.CancellationToken))! > 0)
                {
                    break;
                }
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        await using (var cmd = new NpgsqlCommand("SELECT (SELECT COUNT(*) FROM api_keys), (SELECT COUNT(*) FROM audit_leaves), (SELECT MAX(version) FROM schema_version)", c))
        await using (var r = await cmd.ExecuteReaderAsync(TestContext.Current.CancellationToken))
        {
            Assert.True(await r.ReadAsync(TestContext.Current.CancellationToken));
            Assert.Equal(1, r.GetInt64(0));
            Assert.True(r.GetInt64(1) >= 1, "expected the request's audit leaf in audit_leaves");
            Assert.True(r.GetInt32(2) >= 1);
        }
    }

    private static async Task<long> SizeOrZeroAsync(IAuditStore audit)
    {
        try
        {
            return await audit.GetSizeAsync();
        }
        catch (PostgresException)
        {
            return 0; // the audit tables are created by the first append
        }
    }

    [Fact]
    public async Task CompleteChat_PostgresUnreachable_RequestServedAndRecordLandsWhenDatabaseReturns()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        var target = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        await using var proxy = new TcpProxy(target.Host!, target.Port);
        var viaProxy = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 3 }.ConnectionString;
        await using var gw = await TestGateway.StartAsync(settings =>
        {
            settings.Database = viaProxy;
            settings.Overrides["Charter:Audit:KeyDirectory"] = Path.Combine(Path.GetDirectoryName(settings.Overrides["Records:JournalDirectory"]!)!, "audit-keys");
        });
        var (key, keyId) = await gw.CreateKeyAsync();
        var client = Sdk.Chat(gw, key);
        await client.CompleteChatAsync([new UserChatMessage("warm the key cache")], new ChatCompletionOptions { MaxOutputTokenCount = 3 });
        await gw.WaitForRecordsAsync();
        var audit = gw.App.Services.GetRequiredService<IAuditStore>();
        await audit.EnsureCreatedAsync(TestContext.Current.CancellationToken);
        await WaitUntilAsync(async () => await audit.GetSizeAsync() >= 1);

        var auditBefore = await audit.GetSizeAsync(TestContext.Current.CancellationToken);

        proxy.Cut();
        ChatCompletion during = await client.CompleteChatAsync([new UserChatMessage("while the database is down")], new ChatCompletionOptions { MaxOutputTokenCount = 5 });
        Assert.Equal(5, during.Usage.OutputTokenCount);
        Assert.Equal(1, await CountRequestsDirectAsync(database.ConnectionString));

        proxy.Restore();
        var store = gw.App.Services.GetRequiredService<IGatewayStore>();
        // The second request adds one leaf (its completion folded in) or two (when they fell in different batches).
        await WaitUntilAsync(async () => await CountRequestsDirectAsync(database.ConnectionString) >= 2 && await audit.GetSizeAsync() >= auditBefore + 1);

        Assert.Equal(2, await store.CountRequestsAsync(cancellationToken: TestContext.Current.CancellationToken));
        var records = new List<Charter.Records.RequestRecord>();
        await foreach (var r in store.ReadRequestsAsync(null, null, TestContext.Current.CancellationToken))
        {
            records.Add(r);
        }

        Assert.All(records, r => Assert.Equal((keyId, 200), (r.Key, r.Status!.Value)));
        Assert.Contains(records, r => r.CompletionTokens == 5);
        async Task<List<string>> ReadLeavesAsync()
        {
            var all = new List<string>();
            await foreach (var leaf in audit.ReadLeavesAsync(0, long.MaxValue, TestContext.Current.CancellationToken))
            {
                all.Add(System.Text.Encoding.UTF8.GetString(leaf.Data.Span));
            }

            return all;
        }

        bool Completed(List<string> all, string id) =>
            all.Any(l => l.Contains($"\"id\":\"{id}:completed\"", StringComparison.Ordinal)
                || (l.Contains($"\"id\":\"{id}\"", StringComparison.Ordinal) && l.Contains("\"status\":", StringComparison.Ordinal)));

        // A completion in a later batch than its request lands a moment after the request's leaf.
        await WaitUntilAsync(async () =>
        {
            var all = await ReadLeavesAsync();
            return records.All(r => Completed(all, r.Id));
        });
        var leaves = await ReadLeavesAsync();

        // Exactly once after the outage: one request leaf per record, and its completion either folded into it (the leaf
        // has the status) or in one leaf of its own, never twice.
        var dump = string.Join("\n", leaves);
        foreach (var r in records)
        {
            var requestLeaves = leaves.Where(l => l.Contains($"\"id\":\"{r.Id}\"", StringComparison.Ordinal)).ToList();
            var completionLeaves = leaves.Count(l => l.Contains($"\"id\":\"{r.Id}:completed\"", StringComparison.Ordinal));
            Assert.True(requestLeaves.Count == 1, $"request {r.Id} should have one request leaf:\n{dump}");
            Assert.True(completionLeaves == (requestLeaves[0].Contains("\"status\":", StringComparison.Ordinal) ? 0 : 1),
                $"request {r.Id} should have its completion exactly once:\n{dump}");
        }
    }

    /// <summary>Polls (bounded, 30 s) until <paramref name="condition"/> holds; the assertions after it say what was expected.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 300 && !await condition(); i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    private static async Task<long> CountRequestsDirectAsync(string connectionString)
    {
        await using var c = new NpgsqlConnection(connectionString);
        await c.OpenAsync(TestContext.Current.CancellationToken);
        await using var cmd = new NpgsqlCommand("SELECT COUNT(*) FROM requests", c);
        return (long)(await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }
}
