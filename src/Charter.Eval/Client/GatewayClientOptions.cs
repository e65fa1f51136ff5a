// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Client;

/// <summary>Where and how the harness calls the gateway.</summary>
public sealed record GatewayClientOptions
{
    /// <summary>Gateway base URL, with or without the trailing <c>/v1</c>. Default http://127.0.0.1:8080.</summary>
    public string BaseUrl { get; init; } = "http://127.0.0.1:8080";

    /// <summary>Bearer key (a Charter key); none is sent when null.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Value of the <c>Charter-Purpose</c> header. Default "evaluation".</summary>
    public string Purpose { get; init; } = "evaluation";

    /// <summary>Attempts per request on 5xx, 408 and connection errors. Default 8.</summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>Attempts per request on 429 (rate limits are transient by definition). Default 200.</summary>
    public int MaxRateLimitAttempts { get; init; } = 200;

    /// <summary>First backoff delay; doubles per attempt with ±25% jitter. Default 200 ms.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Largest backoff delay (a larger retry-after is still honoured up to 60 s). Default 10 s.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Timeout of one attempt. Default 120 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Connection pool size. Default 64.</summary>
    public int MaxConnections { get; init; } = 64;
}
