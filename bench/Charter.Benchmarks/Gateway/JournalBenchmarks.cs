// Copyright (c) Charter contributors. Licensed under the MIT License.

using BenchmarkDotNet.Attributes;
using Charter.Configuration;
using Charter.Records;

namespace Charter.Benchmarks.Gateway;

/// <summary>What the write-ahead journal adds to the request path: serialise + one copy into the mapped segment per event
/// (fsync is grouped off-path); and what reading an event back costs the integrator.</summary>
[MemoryDiagnoser]
public class JournalBenchmarks
{
    private Journal _journal = null!;
    private string _dir = "";
    private byte[] _body = [];
    private JournalEvent _event = null!;
    private readonly JournalEvent _scratch = JournalEvent.CreateEmpty();
    private readonly JournalEvent _reused = JournalEvent.CreateEmpty();
    private readonly System.Buffers.ArrayBufferWriter<byte> _output = new(4096);
    private long _segment;
    private ReadOnlyMemory<byte> _frame;
    private readonly JournalStringCache _strings = new();

    /// <summary>
    /// true: each segment is released once the next one starts, as the integrator does, so segments are recycled (steady
    /// state); false: none is, so every segment is a new file (the first segments after a start).
    /// </summary>
    [Params(true, false)]
    public bool ReleaseIntegrated { get; set; }

    /// <summary>
    /// <c>memory</c>: the default, segments appended to as tmpfs memory files where there is a tmpfs (Linux), copied into the
    /// segment files by each sync; <c>files</c>: the segment files mapped directly (<c>Records:JournalHotDirectory</c> none).
    /// </summary>
    [Params("memory", "files")]
    public string Segments { get; set; } = "memory";

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "charter-journal-bench-" + Guid.NewGuid().ToString("N")[..8]);
        _journal = new Journal(
            new RecordsOptions { FsyncIntervalMs = 50, SegmentBytes = 4L * 1024 * 1024, JournalHotDirectory = Segments == "files" ? "none" : null },
            _dir);
        _journal.Recover(default);
        _body = System.Text.Encoding.UTF8.GetBytes("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello in one short sentence, please."}],"max_tokens":32}""");
        _event = RequestEvent();
        var frame = new System.Buffers.ArrayBufferWriter<byte>(1024);
        JournalEventSerializer.Write(_event, frame);
        _frame = frame.WrittenMemory.ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _journal.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>The decision event written before forwarding (includes the raw body), filled into one reused event and
    /// cleared after, as the request path does.</summary>
    [Benchmark]
    public async ValueTask AppendRequestEvent()
    {
        var e = FillRequestEvent(_scratch);
        var append = _journal.AppendAsync(e);
        var position = e.Position;
        e.Clear();
        await append.ConfigureAwait(false);
        if (position.Segment != _segment)
        {
            _segment = position.Segment;
            if (ReleaseIntegrated)
            {
                _journal.ReleaseUpTo(position);
            }
        }
    }

    /// <summary>The serialiser alone (the decision event), without the copy into the mapped segment.</summary>
    [Benchmark]
    public int SerializeRequestEvent()
    {
        _output.ResetWrittenCount();
        JournalEventSerializer.Write(_event, _output);
        return _output.WrittenCount;
    }

    /// <summary>The integrator's side: the decision event read back from its frame, its strings shared through the cache
    /// and its body a slice of the frame.</summary>
    [Benchmark]
    public JournalEvent ReadRequestEvent() => JournalEventSerializer.Read(_frame, _strings);

    /// <summary>The same into an event the batch reuses (<see cref="JournalBatch.Rent"/>), as the integrator reads it.</summary>
    [Benchmark]
    public JournalEvent ReadRequestEventIntoReusedEvent()
    {
        JournalEventSerializer.TryReadInto(_reused, _frame, _strings);
        return _reused;
    }

    private JournalEvent RequestEvent() => FillRequestEvent(JournalEvent.CreateEmpty());

    private JournalEvent FillRequestEvent(JournalEvent e)
    {
        e.Kind = "request";
        e.Id = "req_0123456789abcdef01234567";
        e.Ts = DateTimeOffset.UtcNow;
        e.Key = "key_0123456789abcdef";
        e.Team = "team_0123456789abcdef";
        e.Provider = "openai";
        e.Account = "openai-main";
        e.Model = "gpt-4o-mini";
        e.Purpose = "testing";
        e.Endpoint = "chat.completions";
        e.Decision = "allow";
        e.PolicyVersion = "0e250e78fdfb873d289e93e1fb34c959d7cb960923a9e19b7169fc283f114150";
        e.MessagesSha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        e.Body = _body;
        return e;
    }
}
