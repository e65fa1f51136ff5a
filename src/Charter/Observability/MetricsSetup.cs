// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Admin;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;

namespace Charter.Observability;

/// <summary>Registers Charter's meter with OpenTelemetry and maps the Prometheus scrape endpoint.</summary>
/// <remarks>OpenTelemetry's SDK aggregates and exports (Prometheus text on a scrape, OTLP on a timer); Charter only feeds
/// its meter, from the integrator. Nothing here runs on the request path: ASP.NET Core's and HttpClient's own meters,
/// which measure every request, are not subscribed.</remarks>
public static class MetricsSetup
{
    /// <summary>Adds the meter, the metrics sink and the exporters the configuration asks for.</summary>
    public static IServiceCollection AddCharterMetrics(this IServiceCollection services, MetricsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.TryAddSingleton(options);
        services.TryAddSingleton(sp => new MetricsSink(options, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<Records.IEventSink>(sp => sp.GetRequiredService<MetricsSink>());
        services.TryAddSingleton<PipelineMetrics>();
        var otlp = options.OtlpEndpoint ?? Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT");
        services.AddOpenTelemetry().WithMetrics(m =>
        {
            m.AddMeter(MetricsSink.MeterName);
            if (options.Runtime)
            {
                m.AddMeter("System.Runtime");
            }

            if (options.Prometheus)
            {
                m.AddPrometheusExporter();
            }

            if (!string.IsNullOrEmpty(otlp))
            {
                m.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
            }
        });
        return services;
    }

    /// <summary>Creates the pipeline's instruments and maps the scrape endpoint when Prometheus export is on; behind an admin
    /// or auditor key unless configured open.</summary>
    public static IEndpointRouteBuilder MapCharterMetrics(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.ServiceProvider.GetRequiredService<MetricsOptions>();
        _ = app.ServiceProvider.GetRequiredService<PipelineMetrics>(); // its instruments exist from start-up
        if (!options.Prometheus)
        {
            return app;
        }

        app.MapPrometheusScrapingEndpoint(options.Path, meterProvider: null, configureBranchedPipeline: options.RequireKey
            ? branch => branch.Use(RequireKeyAsync)
            : null, optionsName: null);
        return app;
    }

    private static async Task RequireKeyAsync(HttpContext context, RequestDelegate next)
    {
        if (!await AdminApi.IsAuthenticatedAsync(context).ConfigureAwait(false))
        {
            await AdminApi.WriteUnauthenticatedAsync(context).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }
}
