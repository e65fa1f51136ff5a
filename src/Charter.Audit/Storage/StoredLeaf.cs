// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Audit.Storage;

/// <summary>A leaf as stored: its index, canonical JSON bytes and leaf hash.</summary>
/// <remarks>A leaf being appended holds a slice of its batch's buffer (<see cref="AuditLog.AppendAsync"/>), valid until the store
/// has written it; a leaf read from a store holds its own bytes.</remarks>
public sealed record StoredLeaf(long Index, ReadOnlyMemory<byte> Data, byte[] Hash);
