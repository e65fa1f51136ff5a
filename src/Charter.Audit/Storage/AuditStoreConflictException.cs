// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Audit.Storage;

/// <summary>Thrown when an append does not start at the store's current size (another writer integrated first).</summary>
public sealed class AuditStoreConflictException : Exception
{
    public AuditStoreConflictException()
    {
    }

    public AuditStoreConflictException(string message)
        : base(message)
    {
    }

    public AuditStoreConflictException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
