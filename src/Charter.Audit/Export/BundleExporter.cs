// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text;
using System.Text.Json;
using Charter.Audit.Merkle;
using Charter.Audit.Signing;
using Charter.Audit.Storage;

namespace Charter.Audit.Export;

/// <summary>Writes an evidence bundle: selected leaves with inclusion proofs against the newest signed checkpoint.</summary>
/// <remarks>
/// <code>
/// 1 newest checkpoint C (entries integrated after it are left out: nothing signed covers them yet)
/// 2 scan leaves [0, C.size), keep those the filter selects, each with PATH(index, C.size)
/// 3 the earliest checkpoint E that already covered the last selected entry, with a consistency proof E → C
/// 4 public keys, summary.json (rebuilt by the verifier), summary.html, manifest.json with file hashes
/// </code>
/// </remarks>
public static class BundleExporter
{
    private static readonly byte[] s_newline = "\n"u8.ToArray();

    /// <summary>Exports the events matching <paramref name="filter"/> to <paramref name="outPath"/> (a directory, or a .zip).</summary>
    public static async Task<BundleExportResult> ExportAsync(IAuditStore store, string outPath, ExportFilter filter, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(outPath);
        ArgumentNullException.ThrowIfNull(filter);
        var time = timeProvider ?? TimeProvider.System;
        var checkpoints = await store.GetCheckpointsAsync(cancellationToken).ConfigureAwait(false);
        if (checkpoints.Count == 0)
        {
            return new BundleExportResult(false, 0, 0, "the log has no signed checkpoint yet");
        }

        var latest = checkpoints[^1];
        var note = SignedNote.TryParse(latest.Note);
        var checkpoint = note is null ? null : Checkpoint.TryParse(note.Text);
        if (checkpoint is null)
        {
            return new BundleExportResult(false, 0, latest.Size, "the newest checkpoint is malformed; run `charter audit verify`");
        }

        var summary = new AuditSummaryBuilder();
        long selected = 0;
        long lastSelected = -1;
        using var writer = new BundleWriter(outPath);
        await writer.WriteAsync(BundleLayout.Entries, async stream =>
        {
            await foreach (var leaf in store.ReadLeavesAsync(0, checkpoint.Size, cancellationToken).ConfigureAwait(false))
            {
                var e = AuditEventSerializer.Deserialize(leaf.Data.Span);
                if (e is null || !filter.Matches(e))
                {
                    continue;
                }

                var ids = MerkleProofPlan.NodesFor(MerkleProofPlan.InclusionRanges(leaf.Index, checkpoint.Size), out var counts);
                var proof = MerkleProofPlan.Assemble(await store.GetNodeHashesAsync(ids, cancellationToken).ConfigureAwait(false), counts);
                var entry = new BundleEntry(leaf.Index, Encoding.UTF8.GetString(leaf.Data.Span), Convert.ToBase64String(leaf.Hash), ToBase64(proof));
                await stream.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(entry, BundleJsonContext.Readable.BundleEntry), cancellationToken).ConfigureAwait(false);
                await stream.WriteAsync(s_newline, cancellationToken).ConfigureAwait(false);
                summary.Add(leaf.Index, e);
                selected++;
                lastSelected = leaf.Index;
            }
        }).ConfigureAwait(false);

        await writer.WriteAsync(BundleLayout.Checkpoint, Encoding.UTF8.GetBytes(latest.Note)).ConfigureAwait(false);
        var keys = await store.GetKeysAsync(cancellationToken).ConfigureAwait(false);
        var keyText = new StringBuilder();
        foreach (var k in keys)
        {
            keyText.Append(k.VerifierKey).Append('\n');
        }

        await writer.WriteAsync(BundleLayout.PublicKeys, Encoding.UTF8.GetBytes(keyText.ToString())).ConfigureAwait(false);

        var consistency = new List<BundleConsistency>();
        if (lastSelected >= 0)
        {
            foreach (var earlier in checkpoints)
            {
                if (earlier.Size > lastSelected)
                {
                    if (earlier.Size < checkpoint.Size)
                    {
                        var name = $"{BundleLayout.CheckpointsFolder}{earlier.Size}.txt";
                        await writer.WriteAsync(name, Encoding.UTF8.GetBytes(earlier.Note)).ConfigureAwait(false);
                        var ids = MerkleProofPlan.NodesFor(MerkleProofPlan.ConsistencyRanges(earlier.Size, checkpoint.Size), out var counts);
                        var proof = MerkleProofPlan.Assemble(await store.GetNodeHashesAsync(ids, cancellationToken).ConfigureAwait(false), counts);
                        consistency.Add(new BundleConsistency(name, earlier.Size, checkpoint.Size, ToBase64(proof)));
                    }

                    break;
                }
            }
        }

        await writer.WriteAsync(BundleLayout.Consistency, JsonSerializer.SerializeToUtf8Bytes(consistency, BundleJsonContext.Readable.ListBundleConsistency)).ConfigureAwait(false);
        var built = summary.Build();
        await writer.WriteAsync(BundleLayout.SummaryJson, JsonSerializer.SerializeToUtf8Bytes(built, BundleJsonContext.Readable.AuditSummary)).ConfigureAwait(false);

        var manifest = new BundleManifest(
            BundleLayout.Format,
            checkpoint.Origin,
            time.GetUtcNow(),
            checkpoint.Size,
            Convert.ToBase64String(checkpoint.Root),
            selected,
            new BundleFilter(Format(filter.From), Format(filter.To), filter.Team, filter.Key, filter.Provider),
            new SortedDictionary<string, string>(writer.Hashes, StringComparer.Ordinal));
        await writer.WriteAsync(BundleLayout.SummaryHtml, Encoding.UTF8.GetBytes(SummaryHtml.Render(built, manifest)), hashed: false).ConfigureAwait(false);
        await writer.WriteAsync(BundleLayout.Manifest, JsonSerializer.SerializeToUtf8Bytes(manifest, BundleJsonContext.Readable.BundleManifest), hashed: false).ConfigureAwait(false);
        return new BundleExportResult(true, selected, checkpoint.Size, null);
    }

    internal static List<string> ToBase64(IReadOnlyList<byte[]> hashes)
    {
        var list = new List<string>(hashes.Count);
        foreach (var h in hashes)
        {
            list.Add(Convert.ToBase64String(h));
        }

        return list;
    }

    private static string? Format(DateTimeOffset? t) => t is { } v ? AuditEventSerializer.FormatTime(v) : null;
}
