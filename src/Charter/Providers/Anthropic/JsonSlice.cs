// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Providers.Anthropic;

/// <summary>Where a raw JSON value sits in a document (strings include their quotes); empty when the member is absent.</summary>
/// <param name="Start">Offset of the value's first byte.</param>
/// <param name="Length">Length of the value's text; 0 when absent.</param>
internal readonly record struct JsonSlice(int Start, int Length)
{
    /// <summary>Whether the member was present.</summary>
    public bool Present => Length > 0;

    /// <summary>The value's text in <paramref name="document"/>.</summary>
    public ReadOnlySpan<byte> Of(ReadOnlySpan<byte> document) => document.Slice(Start, Length);
}
