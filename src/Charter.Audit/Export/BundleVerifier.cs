// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Charter.Audit.Json;
using Charter.Audit.Merkle;
using Charter.Audit.Signing;

namespace Charter.Audit.Export;

/// <summary>Checks an evidence bundle with nothing but the bundle (and, ideally, a public key obtained separately).</summary>
/// <remarks>
/// Checks: manifest file hashes; checkpoint.txt signed by a trusted key and equal to the manifest; every entry's leaf hash
/// and inclusion proof against the checkpoint root; each earlier checkpoint's signature and consistency proof;
/// entries within the manifest's filter; summary.json equal to the summary rebuilt from the entries.
/// </remarks>
public static class BundleVerifier
{
    private const int MaxProblems = 50;

    /// <summary>Verifies the bundle at <paramref name="path"/>.</summary>
    /// <param name="path">Bundle directory or .zip file.</param>
    /// <param name="pinnedKeys">Keys to trust; when empty the bundle's own public-keys.vkeys is trusted (with a warning).</param>
    public static BundleVerifyResult Verify(string path, IReadOnlyList<NoteVerifierKey>? pinnedKeys = null)
    {
        var problems = new List<string>();
        var warnings = new List<string>();
        using var bundle = BundleReader.Open(path);
        if (bundle is null)
        {
            return new BundleVerifyResult(0, 0, null, [$"{path}: no such bundle"], warnings);
        }

        BundleManifest? manifest = null;
        try
        {
            var bytes = bundle.ReadAllBytes(BundleLayout.Manifest);
            manifest = bytes is null ? null : JsonSerializer.Deserialize(bytes, BundleJsonContext.Readable.BundleManifest);
        }
        catch (JsonException ex)
        {
            problems.Add($"manifest.json: {ex.Message}");
        }

        if (manifest is null || manifest.Format != BundleLayout.Format)
        {
            problems.Add($"manifest.json missing or not of format {BundleLayout.Format}");
            return new BundleVerifyResult(0, 0, null, problems, warnings);
        }

        foreach (var (name, expected) in manifest.FileSha256)
        {
            using var stream = bundle.OpenRead(name);
            if (stream is null)
            {
                problems.Add($"{name}: listed in the manifest but missing");
                continue;
            }

            var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
            if (actual != expected)
            {
                problems.Add($"{name}: SHA-256 differs from the manifest");
            }
        }

        // Keys and the checkpoint.
        var trusted = new List<NoteVerifierKey>(pinnedKeys ?? []);
        if (trusted.Count == 0)
        {
            warnings.Add("no key pinned: trusting the bundle's own public-keys.vkeys; compare it with the key the log publishes at /audit/v1/public-key");
            var keyText = bundle.ReadAllBytes(BundleLayout.PublicKeys);
            foreach (var line in Encoding.UTF8.GetString(keyText ?? []).Split('\n'))
            {
                if (NoteVerifierKey.TryParse(line) is { } key)
                {
                    trusted.Add(key);
                }
            }
        }

        var checkpoint = ReadCheckpoint(bundle, BundleLayout.Checkpoint, trusted, problems, out var signer);
        if (checkpoint is null)
        {
            return new BundleVerifyResult(0, 0, null, problems, warnings);
        }

        if (checkpoint.Size != manifest.CheckpointSize || Convert.ToBase64String(checkpoint.Root) != manifest.CheckpointRoot || checkpoint.Origin != manifest.Origin)
        {
            problems.Add("checkpoint.txt differs from the manifest's origin, size or root");
        }

        // Entries.
        var filter = ToFilter(manifest.Filter);
        var summary = new AuditSummaryBuilder();
        long entries = 0;
        long previous = -1;
        using (var stream = bundle.OpenRead(BundleLayout.Entries))
        {
            if (stream is null)
            {
                problems.Add("entries.jsonl is missing");
            }
            else
            {
                using var reader = new StreamReader(stream, Encoding.UTF8);
                var lineNo = 0;
                while (reader.ReadLine() is { } line && problems.Count < MaxProblems)
                {
                    lineNo++;
                    if (line.Length == 0)
                    {
                        continue;
                    }

                    entries++;
                    CheckEntry(line, lineNo, checkpoint, filter, summary, ref previous, problems);
                }
            }
        }

        if (entries != manifest.Entries)
        {
            problems.Add($"manifest says {manifest.Entries} entries, entries.jsonl has {entries}");
        }

        CheckConsistency(bundle, checkpoint, trusted, problems);
        CheckSummary(bundle, summary, problems);
        return new BundleVerifyResult(entries, checkpoint.Size, signer?.Text, problems, warnings);
    }

    private static void CheckEntry(string line, int lineNo, Checkpoint checkpoint, ExportFilter filter, AuditSummaryBuilder summary, ref long previous, List<string> problems)
    {
        BundleEntry? entry;
        try
        {
            entry = JsonSerializer.Deserialize(line, BundleJsonContext.Readable.BundleEntry);
        }
        catch (JsonException)
        {
            entry = null;
        }

        if (entry is null || entry.Leaf is null || entry.Proof is null)
        {
            problems.Add($"entries.jsonl line {lineNo}: malformed");
            return;
        }

        var data = Encoding.UTF8.GetBytes(entry.Leaf);
        var hash = MerkleHash.HashLeaf(data);
        if (entry.LeafHash is not null && entry.LeafHash != Convert.ToBase64String(hash))
        {
            problems.Add($"entry {entry.Index}: leaf_hash is not SHA-256(0x00‖leaf)");
        }

        var proof = new List<byte[]>(entry.Proof.Count);
        try
        {
            foreach (var p in entry.Proof)
            {
                proof.Add(Convert.FromBase64String(p));
            }
        }
        catch (FormatException)
        {
            problems.Add($"entry {entry.Index}: proof is not base64");
            return;
        }

        if (!MerkleVerifier.VerifyInclusion(entry.Index, checkpoint.Size, hash, proof, checkpoint.Root))
        {
            problems.Add($"entry {entry.Index}: inclusion proof does not lead to the checkpoint root");
        }

        if (entry.Index <= previous)
        {
            problems.Add($"entry {entry.Index}: entries are not in increasing index order");
        }

        previous = entry.Index;
        var e = AuditEventSerializer.Deserialize(data);
        if (e is null)
        {
            problems.Add($"entry {entry.Index}: leaf is not an audit event");
            return;
        }

        if (!filter.Matches(e))
        {
            problems.Add($"entry {entry.Index}: outside the manifest's filter");
        }

        summary.Add(entry.Index, e);
    }

    private static void CheckConsistency(BundleReader bundle, Checkpoint checkpoint, List<NoteVerifierKey> trusted, List<string> problems)
    {
        var bytes = bundle.ReadAllBytes(BundleLayout.Consistency);
        List<BundleConsistency>? list;
        try
        {
            list = bytes is null ? null : JsonSerializer.Deserialize(bytes, BundleJsonContext.Readable.ListBundleConsistency);
        }
        catch (JsonException)
        {
            list = null;
        }

        if (list is null)
        {
            problems.Add("consistency.json is missing or malformed");
            return;
        }

        foreach (var c in list)
        {
            var earlier = ReadCheckpoint(bundle, c.Checkpoint, trusted, problems, out _);
            if (earlier is null)
            {
                continue;
            }

            var proof = new List<byte[]>();
            foreach (var h in c.Hashes)
            {
                proof.Add(Convert.FromBase64String(h));
            }

            if (earlier.Origin != checkpoint.Origin || earlier.Size != c.From || checkpoint.Size != c.To
                || !MerkleVerifier.VerifyConsistency(earlier.Size, checkpoint.Size, earlier.Root, checkpoint.Root, proof))
            {
                problems.Add($"{c.Checkpoint}: consistency proof to checkpoint.txt fails");
            }
        }
    }

    private static void CheckSummary(BundleReader bundle, AuditSummaryBuilder summary, List<string> problems)
    {
        var stored = bundle.ReadAllBytes(BundleLayout.SummaryJson);
        if (stored is null)
        {
            problems.Add("summary.json is missing");
            return;
        }

        try
        {
            var rebuilt = JsonSerializer.SerializeToUtf8Bytes(summary.Build(), BundleJsonContext.Readable.AuditSummary);
            if (!CanonicalJson.Canonicalize(stored).AsSpan().SequenceEqual(CanonicalJson.Canonicalize(rebuilt)))
            {
                problems.Add("summary.json does not match the summary rebuilt from entries.jsonl");
            }
        }
        catch (JsonException)
        {
            problems.Add("summary.json is not valid JSON");
        }
    }

    private static Checkpoint? ReadCheckpoint(BundleReader bundle, string name, List<NoteVerifierKey> trusted, List<string> problems, out NoteVerifierKey? signer)
    {
        signer = null;
        var bytes = bundle.ReadAllBytes(name);
        var note = bytes is null ? null : SignedNote.TryParse(Encoding.UTF8.GetString(bytes));
        if (note is null)
        {
            problems.Add($"{name}: missing or not a signed note");
            return null;
        }

        signer = note.FindValidSigner(trusted);
        if (signer is null)
        {
            problems.Add($"{name}: no valid signature by a trusted key");
            return null;
        }

        var checkpoint = Checkpoint.TryParse(note.Text);
        if (checkpoint is null)
        {
            problems.Add($"{name}: malformed checkpoint body");
        }

        return checkpoint;
    }

    private static ExportFilter ToFilter(BundleFilter? f) => f is null
        ? new ExportFilter()
        : new ExportFilter(
            f.From is null ? null : AuditEventSerializer.ParseTime(f.From),
            f.To is null ? null : AuditEventSerializer.ParseTime(f.To),
            f.Team,
            f.Key,
            f.Provider);
}
