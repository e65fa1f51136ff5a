// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Configuration;

/// <summary>Request-path limits and timeouts (section <c>Gateway</c>).</summary>
public sealed class GatewayOptions
{
    /// <summary>Largest accepted request body; larger bodies get 413. Default 8 MiB.</summary>
    public long MaxRequestBodyBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Time allowed for the upstream to send response headers. Default 120 s.</summary>
    public int UpstreamTimeoutSeconds { get; set; } = 120;

    /// <summary>Longest silence allowed between two stream chunks. Default 120 s.</summary>
    public int StreamIdleTimeoutSeconds { get; set; } = 120;

    /// <summary>Extra attempts on other targets (or the same) after a connection failure, 429 or 5xx before any byte reached the client. Default 1.</summary>
    public int Retries { get; set; } = 1;

    /// <summary>Wait before trying the same account again (a route with one target), doubled at each further retry, less up
    /// to a quarter at random so that clients retrying together spread out. Another account is tried at once. Default 250.</summary>
    public int RetryBackoffMs { get; set; } = 250;

    /// <summary>Longest wait before a retry on the same account. An upstream that asks for longer (<c>retry-after</c>,
    /// <c>retry-after-ms</c>) is not retried: its answer, with its <c>retry-after</c>, goes to the client at once. Default 2000.</summary>
    public int MaxRetryWaitMs { get; set; } = 2000;

    /// <summary>The upstream base URL that every model is forwarded to (the <c>--upstream</c> quick start); empty when unused.</summary>
    public string? Upstream { get; set; }

    /// <summary>API key sent to <see cref="Upstream"/>.</summary>
    public string? UpstreamKey { get; set; }

    /// <summary>
    /// Run a connection's request on the thread that completed its socket read instead of queueing it to the thread pool
    /// (Kestrel's <c>UnsafePreferInlineScheduling</c>). Default on: one hand-off and one thread wake-up less per request,
    /// which took Charter's added latency at a low request rate from ~0.19 ms to ~0.05 ms above a bare YARP forwarder at
    /// equal CPU per request under load. Safe here because that thread is a thread-pool thread unless the process also runs
    /// with <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c> (see docs/performance.md).
    /// </summary>
    public bool InlineScheduling { get; set; } = true;
}
