// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Sim;

/// <summary>What the simulator answers to one request; transports (Kestrel, the in-process handler) send it.</summary>
internal sealed class SimResponse : IDisposable
{
    public int StatusCode { get; init; } = 200;

    /// <summary>Seconds for the <c>retry-after</c> header, or -1 for none.</summary>
    public int RetryAfterSeconds { get; init; } = -1;

    /// <summary>Value of the <c>x-request-id</c> header.</summary>
    public required string RequestId { get; init; }

    /// <summary>Complete body of a non-streamed response (JSON).</summary>
    public PooledBufferWriter? Body { get; init; }

    /// <summary>Generator of a streamed (SSE) response.</summary>
    public ChatStream? Stream { get; init; }

    /// <summary>Time to wait before sending a non-streamed response.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>When true the transport sends half the non-streamed body and then aborts the connection.</summary>
    public bool Drop { get; init; }

    public void Dispose() => Body?.Dispose();
}
