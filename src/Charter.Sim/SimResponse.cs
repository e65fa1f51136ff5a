// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Sim;

/// <summary>What the simulator answers to one request; transports (Kestrel, the in-process handler) send it.</summary>
internal sealed class SimResponse : IDisposable
{
    public int StatusCode { get; init; } = 200;

    /// <summary>Seconds for the <c>retry-after</c> header, or -1 for none.</summary>
    public int RetryAfterSeconds { get; init; } = -1;

    /// <summary>Value of the request id header.</summary>
    public required string RequestId { get; init; }

    /// <summary>Name of the request id header: <c>x-request-id</c> (OpenAI, Azure) or <c>request-id</c> (Anthropic).</summary>
    public string RequestIdHeader { get; init; } = "x-request-id";

    /// <summary>Complete body of a non-streamed response (JSON).</summary>
    public PooledBufferWriter? Body { get; init; }

    /// <summary>Generator of a streamed (SSE) response.</summary>
    public SimStream? Stream { get; init; }

    /// <summary>Time to wait before sending a non-streamed response.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>When true the transport sends half the non-streamed body and then aborts the connection.</summary>
    public bool Drop { get; init; }

    public void Dispose() => Body?.Dispose();
}
