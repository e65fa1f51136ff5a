// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.IO.Compression;
using BenchmarkDotNet.Attributes;
using Charter.Detection;

namespace Charter.Benchmarks.Detection;

/// <summary>
/// Detection costs on the development traffic (../shared/traffic/dev or CHARTER_DEV_TRAFFIC):
/// online Observe per record (target &lt; 20 µs), backtest throughput (target ≥ 100,000 records/s), and parsing.
/// Run: <c>dotnet run -c Release --project bench/Charter.Benchmarks -- --filter *Detection* --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class DetectionBenchmarks
{
    private const int Batch = 1000;
    private List<DetectionRecord> _records = new();
    private byte[][] _lines = [];
    private DetectionEngine _engine = new();
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        string dir = Locate();
        string path = Path.Combine(dir, "records.jsonl.gz");
        _records = DetectionRecordParser.ReadFile(path).OrderBy(r => r.TimestampMs).ToList();
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(gz);
        var lines = new List<byte[]>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(System.Text.Encoding.UTF8.GetBytes(line));
        }

        _lines = lines.ToArray();

        // Warm state: the online cost is measured on an engine that already knows the keys and teams.
        _engine = new DetectionEngine();
        for (int i = 0; i < _records.Count / 2; i++)
        {
            _engine.Observe(_records[i]);
        }

        _next = _records.Count / 2;
    }

    /// <summary>Online cost: one Observe (prompt analysis, key and team update, scoring) per record.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public bool Observe()
    {
        bool any = false;
        for (int i = 0; i < Batch; i++)
        {
            if (_next == _records.Count)
            {
                _next = _records.Count / 2;
            }

            any |= _engine.Observe(_records[_next++]);
        }

        return any;
    }

    /// <summary>Backtest throughput: sort and replay the whole development set through a fresh engine (per record).</summary>
    [Benchmark(OperationsPerInvoke = 68589)]
    public int Backtest() => DetectionBacktest.Run(_records).Keys.Count;

    /// <summary>Parsing cost per JSON line (Utf8JsonReader, interned strings).</summary>
    [Benchmark(OperationsPerInvoke = 68589)]
    public int Parse()
    {
        var parser = new DetectionRecordParser();
        int ok = 0;
        foreach (var line in _lines)
        {
            ok += parser.TryParse(line, out _) ? 1 : 0;
        }

        return ok;
    }

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable("CHARTER_DEV_TRAFFIC") is { } env)
        {
            return env;
        }

        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            string candidate = Path.Combine(d.FullName, "shared", "traffic", "dev");
            if (File.Exists(Path.Combine(candidate, "records.jsonl.gz")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("development traffic not found; set CHARTER_DEV_TRAFFIC");
    }
}
