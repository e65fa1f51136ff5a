// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Tests.Records;

/// <summary><see cref="JournalTests"/> with the segment files mapped directly (<c>Records:JournalHotDirectory</c> <c>none</c>).</summary>
public sealed class JournalMappedFileTests : JournalTests
{
    /// <inheritdoc/>
    protected override string? HotDirectory => "none";
}
