// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Observability;

/// <summary>Metrics (section <c>Metrics</c>): Charter's meter, scraped by Prometheus and, when configured, pushed by OTLP.</summary>
public sealed class MetricsOptions
{
    /// <summary>Serve the Prometheus scrape endpoint at <see cref="Path"/>. Default true.</summary>
    public bool Prometheus { get; set; } = true;

    /// <summary>Path of the scrape endpoint. Default <c>/metrics</c>.</summary>
    public string Path { get; set; } = "/metrics";

    /// <summary>
    /// Require an admin or auditor key (<c>Authorization: Bearer …</c>, which Prometheus sends with <c>authorization</c> in a
    /// scrape config) to read the endpoint. Default true: the series name teams, models and provider accounts.
    /// </summary>
    public bool RequireKey { get; set; } = true;

    /// <summary>Also export the runtime's own meter (<c>System.Runtime</c>: GC, thread pool, CPU). Default true.</summary>
    public bool Runtime { get; set; } = true;

    /// <summary>Push metrics by OTLP to this endpoint (e.g. <c>http://collector:4317</c>); also taken from
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>. Default none.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>
    /// Distinct model names kept as their own series; later ones are counted under <c>other</c>. With no model routes
    /// configured (the simulator, or <c>--upstream</c>) the model is whatever a client sends. Default 200.
    /// </summary>
    public int MaxModels { get; set; } = 200;
}
