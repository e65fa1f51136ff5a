// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Audit.Merkle;
using Charter.Audit.Signing;
using Charter.Audit.Storage;

namespace Charter.Audit.Verification;

/// <summary>Recomputes the whole tree from the stored leaves and checks every signed checkpoint against it.</summary>
/// <remarks>
/// <code>
/// 1 trust: public keys from the key directory's trusted.vkeys (not from the database under test)
/// 2 every stored checkpoint: signature by a trusted key, body = stored size/root, sizes never shrink
/// 3 stream leaves 0..n-1: no gaps, SHA-256(0x00‖data) = stored hash, level-1 nodes = stored nodes,
///   root at each checkpoint size (and the witness size) = signed root
/// 4 no checkpoint or witness beyond n (truncation, roll-back); consistency proof between consecutive checkpoints
/// </code>
/// The failing index is the first leaf whose evidence fails: the leaf itself, the first leaf of a mismatching
/// pair, or the first leaf after the last checkpoint that still verifies.
/// </remarks>
public static class AuditVerifier
{
    /// <summary>Verifies the log in <paramref name="store"/>.</summary>
    /// <param name="store">The log storage.</param>
    /// <param name="keyDirectory">The signing key directory (trusted keys, witness); null to trust the database's keys.</param>
    /// <param name="extraTrustedKeys">Additional trusted vkeys (e.g. from --trusted-key).</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    public static async Task<AuditVerifyResult> VerifyAsync(IAuditStore store, string? keyDirectory, IReadOnlyList<NoteVerifierKey>? extraTrustedKeys = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var warnings = new List<string>();
        var trusted = new List<NoteVerifierKey>(extraTrustedKeys ?? []);
        string? witnessNote = null;
        if (keyDirectory is not null && Directory.Exists(keyDirectory))
        {
            trusted.AddRange(AuditKeyFiles.ReadTrustedKeys(keyDirectory));
            witnessNote = AuditKeyFiles.ReadWitness(keyDirectory);
        }

        if (trusted.Count == 0)
        {
            warnings.Add("no trusted key file: trusting the public keys stored in the database itself");
            foreach (var k in await store.GetKeysAsync(cancellationToken).ConfigureAwait(false))
            {
                if (NoteVerifierKey.TryParse(k.VerifierKey) is { } key)
                {
                    trusted.Add(key);
                }
            }
        }

        if (witnessNote is null)
        {
            warnings.Add("no witness checkpoint: a database rolled back to an older copy cannot be detected");
        }

        // 1-2: checkpoints.
        var stored = await store.GetCheckpointsAsync(cancellationToken).ConfigureAwait(false);
        var targets = new List<(long Size, byte[] Root, string Label)>();
        long lastSize = 0;
        string? origin = null;
        for (var i = 0; i < stored.Count; i++)
        {
            var problem = CheckNote(stored[i].Note, trusted, out var cp);
            origin ??= cp?.Origin;
            if (problem is null && cp!.Origin != origin)
            {
                problem = $"its origin '{cp.Origin}' differs from the log's '{origin}'";
            }

            if (problem is null && (cp!.Size != stored[i].Size || !cp.Root.AsSpan().SequenceEqual(stored[i].Root)))
            {
                problem = "its signed body differs from the stored size/root";
            }

            if (problem is null && cp!.Size < lastSize)
            {
                problem = $"its size {cp.Size} is smaller than the previous checkpoint's {lastSize}";
            }

            if (problem is not null)
            {
                return AuditVerifyResult.Failure(lastSize, $"checkpoint #{i + 1}: {problem}", 0, i, warnings);
            }

            lastSize = cp!.Size;
            targets.Add((cp.Size, cp.Root, $"checkpoint #{i + 1}"));
        }

        if (witnessNote is not null)
        {
            var problem = CheckNote(witnessNote, trusted, out var witness);
            if (problem is null && origin is not null && witness!.Origin != origin)
            {
                problem = $"its origin '{witness.Origin}' differs from the log's '{origin}'";
            }

            if (problem is not null)
            {
                return AuditVerifyResult.Failure(lastSize, $"witness checkpoint: {problem}", 0, stored.Count, warnings);
            }

            targets.Add((witness!.Size, witness.Root, "witness checkpoint"));
        }

        targets.Sort(static (a, b) => a.Size.CompareTo(b.Size));

        // 3: leaves.
        var range = new CompactRange();
        var verifiedUpTo = 0L;
        var next = 0;
        while (next < targets.Count && targets[next].Size == 0)
        {
            next++;
        }

        NodeId? emitted = null;
        byte[]? emittedHash = null;
        Action<NodeId, byte[]> onNode = (id, hash) =>
        {
            if (id.Level == 1)
            {
                emitted = id;
                emittedHash = hash;
            }
        };

        var nodes = store.ReadNodesAsync(1, 0, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (nodes.ConfigureAwait(false))
        {
            var expected = 0L;
            await foreach (var leaf in store.ReadLeavesAsync(0, long.MaxValue, cancellationToken).ConfigureAwait(false))
            {
                if (leaf.Index != expected)
                {
                    return AuditVerifyResult.Failure(expected, $"leaf {expected} is missing (next stored leaf is {leaf.Index})", expected, stored.Count, warnings);
                }

                var hash = MerkleHash.HashLeaf(leaf.Data.Span);
                if (!hash.AsSpan().SequenceEqual(leaf.Hash))
                {
                    return AuditVerifyResult.Failure(expected, $"leaf {expected} does not match its stored hash", expected, stored.Count, warnings);
                }

                emitted = null;
                range.Append(hash, onNode);
                if (emitted is { } id)
                {
                    if (!await nodes.MoveNextAsync().ConfigureAwait(false) || nodes.Current.Id != id)
                    {
                        return AuditVerifyResult.Failure(id.Start, $"tree node for leaves {id.Start}..{id.End - 1} is missing", expected, stored.Count, warnings);
                    }

                    if (!nodes.Current.Hash.AsSpan().SequenceEqual(emittedHash))
                    {
                        return AuditVerifyResult.Failure(id.Start, $"leaves {id.Start}..{id.End - 1} differ from the tree built when they were logged (changed, moved or swapped)", expected, stored.Count, warnings);
                    }
                }

                expected++;
                if (next < targets.Count && targets[next].Size == expected)
                {
                    var root = range.Root();
                    while (next < targets.Count && targets[next].Size == expected)
                    {
                        if (!root.AsSpan().SequenceEqual(targets[next].Root))
                        {
                            return AuditVerifyResult.Failure(verifiedUpTo, $"{targets[next].Label} (size {expected}) does not match the leaves from index {verifiedUpTo} on", expected, stored.Count, warnings);
                        }

                        next++;
                    }

                    verifiedUpTo = expected;
                }
            }

            // 4: truncation, roll-back.
            if (next < targets.Count)
            {
                return AuditVerifyResult.Failure(expected, $"{targets[next].Label} covers {targets[next].Size} leaves but the log has only {expected} (truncated or rolled back)", expected, stored.Count, warnings);
            }

            if (expected > verifiedUpTo)
            {
                warnings.Add($"leaves {verifiedUpTo}..{expected - 1} are not yet covered by a signed checkpoint");
            }

            for (var i = 1; i < stored.Count; i++)
            {
                var (a, b) = (stored[i - 1], stored[i]);
                if (a.Size == b.Size)
                {
                    continue;
                }

                var ids = MerkleProofPlan.NodesFor(MerkleProofPlan.ConsistencyRanges(a.Size, b.Size), out var counts);
                var hashes = await store.GetNodeHashesAsync(ids, cancellationToken).ConfigureAwait(false);
                var proof = MerkleProofPlan.Assemble(hashes, counts);
                if (!MerkleVerifier.VerifyConsistency(a.Size, b.Size, a.Root, b.Root, proof))
                {
                    return AuditVerifyResult.Failure(a.Size, $"checkpoint #{i + 1} is not consistent with checkpoint #{i}", expected, stored.Count, warnings);
                }
            }

            return new AuditVerifyResult(true, expected, stored.Count, null, null, warnings);
        }
    }

    private static string? CheckNote(string note, List<NoteVerifierKey> trusted, out Checkpoint? checkpoint)
    {
        checkpoint = null;
        var parsed = SignedNote.TryParse(note);
        if (parsed is null)
        {
            return "malformed signed note";
        }

        if (parsed.FindValidSigner(trusted) is null)
        {
            return "not signed by a trusted key";
        }

        checkpoint = Checkpoint.TryParse(parsed.Text);
        return checkpoint is null ? "malformed checkpoint body" : null;
    }
}
