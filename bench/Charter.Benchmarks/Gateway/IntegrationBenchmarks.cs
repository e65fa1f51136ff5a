// Copyright (c) Charter contributors. Licensed under the MIT License.

using BenchmarkDotNet.Attributes;
using Charter.Audit;
using Charter.Audit.Storage;
using Charter.AuditTrail;
using Charter.Records;
using Charter.Storage.Sqlite;

namespace Charter.Benchmarks.Gateway;

/// <summary>
/// The background integration behind the journal, per batch of 2,048 forwarded requests (a request and its completion
/// each, as under load): request records into SQLite, and audit leaves (canonical JSON, leaf and node hashes, rows) into
/// the same file. Divide by 2,048 for the cost per request; under load it runs on the same core as the request path.
/// </summary>
[MemoryDiagnoser]
public class IntegrationBenchmarks
{
    private const int Requests = 2048;
    private string _dir = "";
    private SqliteGatewayStore _store = null!;
    private AuditLog _audit = null!;
    private AuditSink _sink = null!;
    private JournalBatch _batch = null!;
    private long _next;
    private long _segment;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "charter-integration-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_dir);
        var db = Path.Combine(_dir, "charter.db");
        _store = new SqliteGatewayStore(db);
        _store.MigrateAsync().GetAwaiter().GetResult();
        _audit = new AuditLog(new SqliteAuditStore(db), new AuditOptions { DatabasePath = db, KeyDirectory = Path.Combine(_dir, "keys"), Origin = "charter.bench/audit" });
        _audit.InitializeAsync().GetAwaiter().GetResult();
        _sink = new AuditSink(_audit, _store);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _audit.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [IterationSetup]
    public void NextBatch() => _batch = Batch();

    /// <summary>Pairing, records and the journal position in one transaction.</summary>
    [Benchmark]
    public Task Records() => _store.IntegrateAsync(_batch, _batch[^1].Position);

    /// <summary>Pairing and mapping to audit leaves, appended to the Merkle log with the sink's position.</summary>
    [Benchmark]
    public Task AuditLeaves() => _sink.ConsumeAsync(_batch, _batch[^1].Position, CancellationToken.None);

    private JournalBatch Batch()
    {
        var body = """{"model":"gpt-4o-mini","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Say hello in one short sentence, please."}],"max_tokens":32,"temperature":0}"""u8.ToArray();
        var messagesStart = body.AsSpan().IndexOf((byte)'[');
        var messagesLength = body.AsSpan().IndexOf("""],"max_tokens"""u8) + 1 - messagesStart;
        var batch = new JournalBatch();
        var ts = DateTimeOffset.UtcNow;
        _segment++;
        for (var i = 0; i < Requests; i++)
        {
            var id = "req_" + (_next++).ToString("x24", System.Globalization.CultureInfo.InvariantCulture);
            batch.Add(new JournalEvent
            {
                Kind = "request", Id = id, Ts = ts, Key = "key_0123456789abcdef", Team = "team_0123456789abcdef", Provider = "openai",
                Account = "openai-main", Model = "gpt-4o-mini", Purpose = "testing", Endpoint = "chat.completions", Decision = "allow",
                PolicyVersion = "0e250e78fdfb873d289e93e1fb34c959d7cb960923a9e19b7169fc283f114150",
                MessagesSha256 = "fb9c76c95ea0ac08146a58e1d22efa47ca5d0baaa469a652701efddc1ef8c397", Body = body, MessagesStart = messagesStart, MessagesLength = messagesLength,
                Position = new JournalPosition(_segment, (2 * i) + 1),
            });
            batch.Add(new JournalEvent
            {
                Kind = "completion", Id = id, Ts = ts, Provider = "openai", Account = "openai-main", Status = 200, PromptTokens = 12,
                CompletionTokens = 11, LatencyMs = 1.25, CostNanos = 8_400, Position = new JournalPosition(_segment, (2 * i) + 2),
            });
        }

        return batch;
    }
}
