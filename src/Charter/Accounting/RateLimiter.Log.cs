// Copyright (c) Charter contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging;

namespace Charter.Accounting;

internal sealed partial class RateLimiter
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 6001, Level = LogLevel.Error, Message = "Shared limit store unreachable; applying failure policy {Policy} until it answers again.")]
        public static partial void StoreUnavailable(ILogger logger, RedisFailurePolicy policy);

        [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Shared limit store reachable again.")]
        public static partial void StoreRecovered(ILogger logger);

        [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Could not complete a limit lease in the shared store: token reconciliation and spend counters missed one request; its concurrency slot expires on its own.")]
        public static partial void CompleteLost(ILogger logger);
    }
}
