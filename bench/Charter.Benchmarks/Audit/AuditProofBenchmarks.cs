// Copyright (c) Charter contributors. Licensed under the MIT License.

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Charter.Audit;
using Charter.Audit.Storage;
using Charter.Audit.Verification;

namespace Charter.Benchmarks.Audit;

/// <summary>Proof generation and full verification over a 1,000,000-entry SQLite log.</summary>
/// <remarks>Set-up builds the log once (about 20 s). Targets: inclusion proof &lt; 1 ms, verify &lt; 10 s.</remarks>
[MemoryDiagnoser]
public class AuditProofBenchmarks
{
    private const int Size = 1_000_000;
    private string _db = string.Empty;
    private AuditLog? _log;
    private long _next = 12_345;

    [GlobalSetup]
    public void Setup()
    {
        _db = AuditBenchData.NewDatabase("proof");
        _log = AuditBenchData.BuildAsync(_db, Size).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _log?.Dispose();
        AuditBenchData.Delete(_db);
    }

    [Benchmark]
    public Task<IReadOnlyList<byte[]>> InclusionProof()
    {
        _next = (_next * 7919) % Size;
        return _log!.GetInclusionProofAsync(_next, Size);
    }

    [Benchmark]
    public Task<IReadOnlyList<byte[]>> ConsistencyProof() => _log!.GetConsistencyProofAsync(333_333, Size);

    [Benchmark]
    [IterationCount(3)]
    [WarmupCount(1)]
    [InvocationCount(1)]
    public Task<AuditVerifyResult> VerifyAll() => AuditVerifier.VerifyAsync(new SqliteAuditStore(_db), null);
}
