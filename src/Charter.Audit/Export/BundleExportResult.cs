// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Audit.Export;

/// <summary>Outcome of an export: entries written and the checkpoint they are proven against, or why nothing was written.</summary>
public sealed record BundleExportResult(bool Ok, long Entries, long CheckpointSize, string? Problem);
