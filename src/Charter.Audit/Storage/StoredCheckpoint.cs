// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Audit.Storage;

/// <summary>A signed checkpoint as stored: tree size, root, the full signed note text and when it was made.</summary>
public sealed record StoredCheckpoint(long Size, byte[] Root, string Note, DateTimeOffset CreatedAt);
