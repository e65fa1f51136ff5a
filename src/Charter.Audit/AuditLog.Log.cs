// Copyright (c) Charter contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging;

namespace Charter.Audit;

public sealed partial class AuditLog
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Audit log opened with {Size} leaves, signing key {KeyId:x8}.")]
        public static partial void Opened(ILogger logger, long size, uint keyId);

        [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "Audit checkpoint signed at size {Size}.")]
        public static partial void CheckpointSigned(ILogger logger, long size);

        [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Audit append at {Start} conflicted with another writer; frontier reloaded.")]
        public static partial void AppendConflict(ILogger logger, long start);

        [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Audit signing key rotated; new key id {KeyId:x8}.")]
        public static partial void KeyRotated(ILogger logger, uint keyId);
    }
}
