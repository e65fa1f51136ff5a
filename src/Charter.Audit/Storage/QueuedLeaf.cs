// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Audit.Storage;

/// <summary>A leaf waiting for the sequencer: its queue row id and canonical bytes.</summary>
public sealed record QueuedLeaf(long QueueId, byte[] Data);
