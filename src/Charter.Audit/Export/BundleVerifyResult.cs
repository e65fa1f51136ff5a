// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Audit.Export;

/// <summary>Outcome of checking a bundle: every problem found (empty when it verifies) and what was checked.</summary>
public sealed record BundleVerifyResult(long Entries, long CheckpointSize, string? SignerKey, IReadOnlyList<string> Problems, IReadOnlyList<string> Warnings)
{
    public bool Ok => Problems.Count == 0;
}
