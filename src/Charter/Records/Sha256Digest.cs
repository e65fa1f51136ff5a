// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Runtime.CompilerServices;

namespace Charter.Records;

/// <summary>A SHA-256 digest held inline: the request path's messages hash, with neither an array nor a hex string.</summary>
[InlineArray(Length)]
internal struct Sha256Digest
{
    /// <summary>Bytes in a digest.</summary>
    public const int Length = 32;

    private byte _element0;
}
