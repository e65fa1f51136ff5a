// Copyright (c) Charter contributors. Licensed under the MIT License.

using StackExchange.Redis;

namespace Charter.Redis;

/// <summary>Creates the Redis connection with the settings the limiter's failure policy relies on.</summary>
public static class RedisConnectionFactory
{
    /// <summary>Connects to <paramref name="configuration"/> ("host:port" or a StackExchange.Redis configuration string).</summary>
    /// <remarks>
    /// Never throws for an unreachable server: the multiplexer keeps reconnecting in the background
    /// (<c>abortConnect=false</c>), commands fail fast while it is down (<see cref="BacklogPolicy.FailFast"/>), and
    /// every call times out after <paramref name="timeoutMs"/>. The limiter turns those failures into its failure policy.
    /// </remarks>
    public static ConnectionMultiplexer Connect(string configuration, int timeoutMs = 500)
    {
        ArgumentException.ThrowIfNullOrEmpty(configuration);
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectTimeout = Math.Max(timeoutMs, 1000);
        options.SyncTimeout = timeoutMs;
        options.AsyncTimeout = timeoutMs;
        options.ConnectRetry = 1;
        options.ReconnectRetryPolicy = new LinearRetry(500);
        options.ClientName ??= "charter";
        return ConnectionMultiplexer.Connect(options);
    }
}
