// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Records;

/// <summary>A point in the journal: segment number and byte offset just after an entry.</summary>
public readonly record struct JournalPosition(long Segment, long Offset) : IComparable<JournalPosition>
{
    /// <inheritdoc/>
    public int CompareTo(JournalPosition other) => Segment != other.Segment ? Segment.CompareTo(other.Segment) : Offset.CompareTo(other.Offset);

    /// <summary>Whether this position is after <paramref name="other"/>.</summary>
    public bool IsAfter(JournalPosition other) => CompareTo(other) > 0;
}
