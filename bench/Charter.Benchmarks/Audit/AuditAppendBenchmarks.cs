// Copyright (c) Charter contributors. Licensed under the MIT License.

using BenchmarkDotNet.Attributes;
using Charter.Audit;

namespace Charter.Benchmarks.Audit;

/// <summary>Append + integrate: canonical JSON, leaf hash, tree nodes and one SQLite transaction per batch.</summary>
/// <remarks>Events/s = BatchSize / mean time. Target ≥ 50,000 events/s.</remarks>
[MemoryDiagnoser]
public class AuditAppendBenchmarks
{
    private string _db = string.Empty;
    private AuditLog? _log;
    private List<AuditEvent> _batch = [];

    [Params(1_000, 10_000)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _db = AuditBenchData.NewDatabase("append");
        _log = AuditBenchData.Open(_db);
        _log.InitializeAsync().GetAwaiter().GetResult();
        _batch = AuditBenchData.Events(BatchSize, 0);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _log?.Dispose();
        AuditBenchData.Delete(_db);
    }

    [Benchmark]
    public Task<AuditAppendResult> AppendBatch() => _log!.AppendAsync(_batch);
}
