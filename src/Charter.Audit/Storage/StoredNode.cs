// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Audit.Merkle;

namespace Charter.Audit.Storage;

/// <summary>A completed interior node (level ≥ 1) kept for O(log n) proofs.</summary>
public readonly record struct StoredNode(NodeId Id, byte[] Hash);
