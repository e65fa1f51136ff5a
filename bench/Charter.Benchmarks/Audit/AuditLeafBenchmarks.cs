// Copyright (c) Charter contributors. Licensed under the MIT License.

using BenchmarkDotNet.Attributes;
using Charter.Audit;
using Charter.Audit.Merkle;

namespace Charter.Benchmarks.Audit;

/// <summary>Per-event CPU cost: RFC 8785 serialisation and the RFC 9162 leaf hash.</summary>
[MemoryDiagnoser]
public class AuditLeafBenchmarks
{
    private readonly AuditEvent _event = AuditBenchData.Events(1, 42)[0];
    private readonly byte[] _leaf = AuditEventSerializer.Serialize(AuditBenchData.Events(1, 42)[0]);
    private readonly byte[] _hash = new byte[MerkleHash.Size];

    [Benchmark]
    public byte[] SerializeCanonical() => AuditEventSerializer.Serialize(_event);

    [Benchmark]
    public byte[] HashLeaf()
    {
        MerkleHash.HashLeaf(_leaf, _hash);
        return _hash;
    }
}
