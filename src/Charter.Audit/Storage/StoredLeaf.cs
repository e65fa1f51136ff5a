// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Audit.Storage;

/// <summary>A leaf as stored: its index, canonical JSON bytes and leaf hash.</summary>
public sealed record StoredLeaf(long Index, byte[] Data, byte[] Hash);
