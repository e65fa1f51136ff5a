// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Audit.Merkle;

/// <summary>A perfect subtree: level 0 is a leaf; level L, index i covers leaves [i·2^L, (i+1)·2^L).</summary>
/// <param name="Level">Height above the leaves.</param>
/// <param name="Index">Position within the level.</param>
public readonly record struct NodeId(int Level, long Index)
{
    /// <summary>First leaf index covered.</summary>
    public long Start => Index << Level;

    /// <summary>One past the last leaf index covered.</summary>
    public long End => (Index + 1) << Level;
}
