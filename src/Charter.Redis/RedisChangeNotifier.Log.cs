// Copyright (c) Charter contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging;

namespace Charter.Redis;

internal sealed partial class RedisChangeNotifier
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 6301, Level = LogLevel.Warning, Message = "Could not subscribe to the Redis change channel; will retry on reconnect.")]
        public static partial void SubscribeFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 6302, Level = LogLevel.Error, Message = "Could not publish a change notification to Redis.")]
        public static partial void PublishFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 6303, Level = LogLevel.Warning, Message = "Ignored a malformed change notification.")]
        public static partial void BadMessage(ILogger logger, Exception exception);
    }
}
