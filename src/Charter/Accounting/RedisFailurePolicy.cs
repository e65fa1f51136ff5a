// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Accounting;

/// <summary>What the limiter does when the shared (Redis) limit store cannot be reached.</summary>
public enum RedisFailurePolicy
{
    /// <summary>Refuse the request (<see cref="LimitKind.Unavailable"/>): limits are never exceeded, availability suffers.</summary>
    FailClosed = 0,

    /// <summary>Fall back to this instance's in-process limiter: the service stays up, limits hold per instance only.</summary>
    FailOpenLocal = 1,
}
