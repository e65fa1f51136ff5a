// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Audit.Export;

/// <summary>File names of an evidence bundle (see docs/audit-format.md).</summary>
public static class BundleLayout
{
    public const string Format = "charter-audit-bundle/1";
    public const string Manifest = "manifest.json";
    public const string Checkpoint = "checkpoint.txt";
    public const string PublicKeys = "public-keys.vkeys";
    public const string Entries = "entries.jsonl";
    public const string Consistency = "consistency.json";
    public const string CheckpointsFolder = "checkpoints/";
    public const string SummaryJson = "summary.json";
    public const string SummaryHtml = "summary.html";
}
