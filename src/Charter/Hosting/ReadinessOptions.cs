// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Hosting;

/// <summary>When <c>/readyz</c> says the instance should take traffic (section <c>Readiness</c>).</summary>
public sealed class ReadinessOptions
{
    /// <summary>
    /// Journal bytes not yet in the records, audit log and detection above which the instance reports not ready, so that a
    /// load balancer sends new requests to an instance that keeps up. Default 64 MiB (at ~1 KB an event, tens of thousands
    /// of requests; the integrator normally holds about 100 ms of them). 0 turns the check off.
    /// </summary>
    public long MaxBacklogBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>How long the database may take to answer the check's read. Default 2 s.</summary>
    public int DatabaseTimeoutMs { get; set; } = 2000;
}
