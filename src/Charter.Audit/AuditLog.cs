// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Runtime.CompilerServices;
using Charter.Audit.Json;
using Charter.Audit.Merkle;
using Charter.Audit.Signing;
using Charter.Audit.Storage;
using Charter.Audit.Threading;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Charter.Audit;

/// <summary>The tamper-evident audit log: appends leaves to the Merkle tree, signs checkpoints and serves proofs.</summary>
/// <remarks>
/// <code>
///  journal integrator ──AppendAsync(batch)──► 1 canonical JSON + leaf hash per event
///                                             2 compact range absorbs the hashes (new interior nodes)
///                                             3 one store transaction: leaves + nodes
///  CheckpointerService ──CheckpointAsync()──► 4 root of the compact range, signed note, witness file
/// </code>
/// One writer per log: appends and checkpoints are serialised by a lock. Reads (proofs, entries) go straight to the store.
/// The object initialises itself (schema, frontier, key) on first use.
/// </remarks>
public sealed partial class AuditLog : IDisposable
{
    private const int LeafBufferSize = 64 * 1024;
    private const int MaxLeafBufferSize = 8 * 1024 * 1024; // ~16,000 leaves of the usual ~500 bytes

    private readonly IAuditStore _store;
    private readonly AuditOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly string _keyDirectory;

    // A batch's leaves, back to back (under _lock): no array per leaf. Dropped after a batch that grew it past the cap.
    private CanonicalJsonWriter _leaves = new(LeafBufferSize);
    private AuditSigner? _signer;
    private CompactRange _range = new();
    private long _checkpointedSize = -1;
    private bool _initialized;
    private volatile bool _writer;

    /// <summary>Creates a log over <paramref name="store"/>; the signing key comes from the options' key directory.</summary>
    public AuditLog(IAuditStore store, AuditOptions options, TimeProvider? timeProvider = null, ILogger<AuditLog>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _keyDirectory = options.ResolveKeyDirectory();
        _writer = options.ElectSequencer != true;
    }

    /// <summary>
    /// Whether this process integrates and signs: always when appending directly (SQLite); with an elected sequencer
    /// (PostgreSQL), only while it holds the lease. Other processes read proofs and entries from the shared store.
    /// </summary>
    public bool IsWriter => _writer;

    /// <summary>Number of leaves integrated (valid after initialisation).</summary>
    public long Size => _range.Size;

    /// <summary>The current number of leaves: the writer's own count, or the store's for a process that is not the writer.</summary>
    public async Task<long> GetSizeAsync(CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return _writer ? _range.Size : await _store.GetSizeAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Becomes the writer (the sequencer was elected): reloads the frontier the previous writer left.</summary>
    public async Task TakeOverAsync(CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _initialized = false;
            await InitializeLockedAsync(cancellationToken).ConfigureAwait(false);
            _writer = true;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Stops writing (the sequencer lease was lost or given up).</summary>
    public void StepDown() => _writer = false;

    /// <summary>Moves up to <paramref name="max"/> queued leaves into the tree in one transaction; returns how many.</summary>
    /// <exception cref="InvalidOperationException">When this process is not the writer.</exception>
    public async Task<int> SequenceQueuedAsync(IAuditQueueStore queue, int max, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queue);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_writer)
            {
                throw new InvalidOperationException("Only the elected sequencer integrates queued audit events.");
            }

            await InitializeLockedAsync(cancellationToken).ConfigureAwait(false);
            var queued = await queue.ReadQueueAsync(max, cancellationToken).ConfigureAwait(false);
            if (queued.Count == 0)
            {
                return 0;
            }

            // Hashing the leaves and nodes is CPU work: off a socket event thread if the read completed on one.
            await ThreadPoolHop.Instance;

            var start = _range.Size;
            var (range, stored, nodes) = Stage(start, queued.Count, i => queued[i].Data);
            var ids = new long[queued.Count];
            for (var i = 0; i < queued.Count; i++)
            {
                ids[i] = queued[i].QueueId;
            }

            await StoreLockedAsync(start, () => queue.AppendQueuedAsync(start, stored, nodes, ids, cancellationToken), cancellationToken).ConfigureAwait(false);
            _range = range;
            return queued.Count;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>The log origin.</summary>
    public string Origin => _options.Origin;

    /// <summary>Creates the schema, loads the tree frontier and the signing key. Called implicitly by other members.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (_initialized)
        {
            return;
        }

        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await InitializeLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>The current public key.</summary>
    public async Task<NoteVerifierKey> GetVerifierKeyAsync(CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return _signer!.VerifierKey;
    }

    /// <summary>Every public key the log has used, oldest first.</summary>
    public async Task<IReadOnlyList<StoredKey>> GetKeysAsync(CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _store.GetKeysAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Appends events as leaves (RFC 8785 canonical JSON) in one transaction.</summary>
    public async Task<AuditAppendResult> AppendAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await InitializeLockedAsync(cancellationToken).ConfigureAwait(false);
            var leaves = SerializeLeaves(events);
            return await AppendLockedAsync(leaves.Length, i => leaves[i], cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (_leaves.Capacity > MaxLeafBufferSize)
            {
                _leaves = new CanonicalJsonWriter(LeafBufferSize);
            }

            _lock.Release();
        }
    }

    // The batch's leaves as slices of one buffer, taken once every leaf is written (the buffer is replaced as it grows).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once per batch, looping over its rows: see docs/performance.md
    private ReadOnlyMemory<byte>[] SerializeLeaves(IReadOnlyList<AuditEvent> events)
    {
        var ends = new int[events.Count];
        _leaves.Reset();
        for (var i = 0; i < events.Count; i++)
        {
            AuditEventSerializer.WriteLeaf(_leaves, events[i]);
            ends[i] = _leaves.WrittenSpan.Length;
        }

        var all = _leaves.WrittenMemory;
        var leaves = new ReadOnlyMemory<byte>[events.Count];
        for (var i = 0; i < leaves.Length; i++)
        {
            var start = i == 0 ? 0 : ends[i - 1];
            leaves[i] = all[start..ends[i]];
        }

        return leaves;
    }

    // Hashes leaves onto a copy of the frontier; the copy becomes the frontier only once the store holds the rows.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once per batch, looping over its rows: see docs/performance.md
    private (CompactRange Range, StoredLeaf[] Leaves, List<StoredNode> Nodes) Stage(long start, int count, Func<int, ReadOnlyMemory<byte>> data)
    {
        var range = _range.Clone();
        var stored = new StoredLeaf[count];
        var nodes = new List<StoredNode>(count + 64);
        Action<NodeId, byte[]> onNode = (id, hash) => nodes.Add(new StoredNode(id, hash));
        for (var i = 0; i < count; i++)
        {
            var leaf = data(i);
            var hash = MerkleHash.HashLeaf(leaf.Span);
            stored[i] = new StoredLeaf(start + i, leaf, hash);
            range.Append(hash, onNode);
        }

        return (range, stored, nodes);
    }

    // Writes a staged append; another writer got there first when the store refuses it: reload the frontier and rethrow.
    private async Task StoreLockedAsync(long start, Func<Task> write, CancellationToken cancellationToken)
    {
        try
        {
            await write().ConfigureAwait(false);
        }
        catch (AuditStoreConflictException)
        {
            Log.AppendConflict(_logger, start);
            _initialized = false;
            await InitializeLockedAsync(cancellationToken).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Appends raw leaf bytes in one transaction.</summary>
    public async Task<AuditAppendResult> AppendLeavesAsync(IReadOnlyList<byte[]> leaves, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await InitializeLockedAsync(cancellationToken).ConfigureAwait(false);
            return await AppendLockedAsync(leaves.Count, i => leaves[i], cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<AuditAppendResult> AppendLockedAsync(int count, Func<int, ReadOnlyMemory<byte>> data, CancellationToken cancellationToken)
    {
        var start = _range.Size;
        if (count == 0)
        {
            return new AuditAppendResult(start, 0, start);
        }

        var (range, stored, nodes) = Stage(start, count, data);
        await StoreLockedAsync(start, () => _store.AppendAsync(start, stored, nodes, cancellationToken), cancellationToken).ConfigureAwait(false);
        _range = range;
        return new AuditAppendResult(start, count, range.Size);
    }

    /// <summary>Signs and stores a checkpoint if the tree grew since the last one; returns the newest checkpoint.</summary>
    public async Task<StoredCheckpoint?> CheckpointAsync(CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await InitializeLockedAsync(cancellationToken).ConfigureAwait(false);
            if (!_writer || _range.Size == _checkpointedSize || _range.Size == 0)
            {
                return await _store.GetLatestCheckpointAsync(cancellationToken).ConfigureAwait(false);
            }

            var root = _range.Root();
            var note = _signer!.Sign(new Checkpoint(_options.Origin, _range.Size, root).ToNoteText());
            var checkpoint = new StoredCheckpoint(_range.Size, root, note, _time.GetUtcNow());
            await _store.SaveCheckpointAsync(checkpoint, cancellationToken).ConfigureAwait(false);
            if (_options.WriteWitness)
            {
                AuditKeyFiles.WriteWitness(_keyDirectory, note);
            }

            _checkpointedSize = _range.Size;
            Log.CheckpointSigned(_logger, checkpoint.Size);
            return checkpoint;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>The newest signed checkpoint, or null before the first.</summary>
    public async Task<StoredCheckpoint?> GetLatestCheckpointAsync(CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _store.GetLatestCheckpointAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The RFC 9162 inclusion proof of leaf <paramref name="index"/> in the tree of <paramref name="size"/> leaves.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Unless 0 ≤ index &lt; size ≤ <see cref="Size"/>.</exception>
    public async Task<IReadOnlyList<byte[]>> GetInclusionProofAsync(long index, long size, CancellationToken cancellationToken = default)
    {
        await CheckSizeAsync(size, cancellationToken).ConfigureAwait(false);
        return await ResolveAsync(MerkleProofPlan.InclusionRanges(index, size), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The RFC 9162 consistency proof between tree sizes <paramref name="from"/> and <paramref name="to"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Unless 0 ≤ from ≤ to ≤ <see cref="Size"/>.</exception>
    public async Task<IReadOnlyList<byte[]>> GetConsistencyProofAsync(long from, long to, CancellationToken cancellationToken = default)
    {
        await CheckSizeAsync(to, cancellationToken).ConfigureAwait(false);
        return await ResolveAsync(MerkleProofPlan.ConsistencyRanges(from, to), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The root hash of the tree of the first <paramref name="size"/> leaves.</summary>
    public async Task<byte[]> GetRootAsync(long size, CancellationToken cancellationToken = default)
    {
        await CheckSizeAsync(size, cancellationToken).ConfigureAwait(false);
        if (size == 0)
        {
            return MerkleHash.EmptyRoot();
        }

        var proof = await ResolveAsync([(0, size)], cancellationToken).ConfigureAwait(false);
        return proof[0];
    }

    /// <summary>Leaves [<paramref name="start"/>, <paramref name="end"/>), in order.</summary>
    public async Task<IReadOnlyList<StoredLeaf>> GetEntriesAsync(long start, long end, CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<StoredLeaf>();
        await foreach (var leaf in _store.ReadLeavesAsync(start, end, cancellationToken).ConfigureAwait(false))
        {
            list.Add(leaf);
        }

        return list;
    }

    /// <summary>The last integrated event, for journal recovery (integration is in journal order), or null.</summary>
    public async Task<AuditEvent?> GetLastEventAsync(CancellationToken cancellationToken = default)
    {
        var size = await GetSizeAsync(cancellationToken).ConfigureAwait(false);
        if (size == 0)
        {
            return null;
        }

        var entries = await GetEntriesAsync(size - 1, size, cancellationToken).ConfigureAwait(false);
        return entries.Count == 0 ? null : AuditEventSerializer.Deserialize(entries[0].Data.Span);
    }

    /// <summary>Replaces the signing key; earlier checkpoints stay verifiable with the retained public keys.</summary>
    public async Task<NoteVerifierKey> RotateKeyAsync(CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await InitializeLockedAsync(cancellationToken).ConfigureAwait(false);
            var next = AuditSigner.Rotate(_keyDirectory, _options.Origin);
            await _store.SaveKeyAsync(new StoredKey(next.VerifierKey.Text, _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            _signer?.Dispose();
            _signer = next;
            Log.KeyRotated(_logger, next.VerifierKey.KeyId);
            return next.VerifierKey;
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose()
    {
        _signer?.Dispose();
        _lock.Dispose();
    }

    private async Task CheckSizeAsync(long size, CancellationToken cancellationToken)
    {
        var current = await GetSizeAsync(cancellationToken).ConfigureAwait(false);
        if (size < 0 || size > current)
        {
            throw new ArgumentOutOfRangeException(nameof(size), $"Tree size {size} is beyond the log size {current}.");
        }
    }

    private async Task<byte[][]> ResolveAsync(List<(long Start, long End)> ranges, CancellationToken cancellationToken)
    {
        var ids = MerkleProofPlan.NodesFor(ranges, out var counts);
        var hashes = await _store.GetNodeHashesAsync(ids, cancellationToken).ConfigureAwait(false);
        return MerkleProofPlan.Assemble(hashes, counts);
    }

    private async Task InitializeLockedAsync(CancellationToken cancellationToken)
    {
        if (_initialized)
        {
            return;
        }

        await _store.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        _signer ??= AuditSigner.LoadOrCreate(_keyDirectory, _options.Origin);
        await _store.SaveKeyAsync(new StoredKey(_signer.VerifierKey.Text, _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        var size = await _store.GetSizeAsync(cancellationToken).ConfigureAwait(false);
        var frontier = CompactRange.FrontierIds(size);
        var hashes = await _store.GetNodeHashesAsync(frontier, cancellationToken).ConfigureAwait(false);
        _range = CompactRange.FromFrontier(size, hashes);
        var latest = await _store.GetLatestCheckpointAsync(cancellationToken).ConfigureAwait(false);
        _checkpointedSize = latest?.Size ?? -1;
        _initialized = true;
        Log.Opened(_logger, size, _signer.VerifierKey.KeyId);
    }
}
