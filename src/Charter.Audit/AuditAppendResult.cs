// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Audit;

/// <summary>Where an appended batch landed: leaves [FirstIndex, FirstIndex + Count) and the new tree size.</summary>
public readonly record struct AuditAppendResult(long FirstIndex, int Count, long TreeSize);
