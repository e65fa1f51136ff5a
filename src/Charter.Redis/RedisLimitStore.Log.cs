// Copyright (c) Charter contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging;

namespace Charter.Redis;

internal sealed partial class RedisLimitStore
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 6201, Level = LogLevel.Warning, Message = "Redis limit admission failed.")]
        public static partial void AcquireFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 6202, Level = LogLevel.Warning, Message = "Redis limit completion failed.")]
        public static partial void CompleteFailed(ILogger logger, Exception exception);
    }
}
