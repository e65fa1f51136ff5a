// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Redis;
using StackExchange.Redis;

namespace Charter.Tests.Redis;

/// <summary>The real Redis server started by eng/services.sh; its absence fails the tests instead of skipping them.</summary>
public sealed class RedisServerFixture : IDisposable
{
    public RedisServerFixture()
    {
        var endpoint = Environment.GetEnvironmentVariable("CHARTER_TEST_REDIS");
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            throw new InvalidOperationException(
                "CHARTER_TEST_REDIS is not set. Start the test servers first: eng/services.sh start && eval \"$(eng/services.sh env)\"");
        }

        Endpoint = endpoint;
        First = RedisConnectionFactory.Connect(endpoint, timeoutMs: 5000);
        Second = RedisConnectionFactory.Connect(endpoint, timeoutMs: 5000);
        if (!First.IsConnected || !Second.IsConnected)
        {
            throw new InvalidOperationException($"Redis at CHARTER_TEST_REDIS={endpoint} does not answer. Is eng/services.sh start running?");
        }
    }

    public string Endpoint { get; }

    /// <summary>Connection of the first simulated gateway instance.</summary>
    public ConnectionMultiplexer First { get; }

    /// <summary>Connection of the second simulated gateway instance.</summary>
    public ConnectionMultiplexer Second { get; }

    public void Dispose()
    {
        First.Dispose();
        Second.Dispose();
    }
}
