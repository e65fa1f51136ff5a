// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Diagnostics.Metrics;
using Charter.Records;

namespace Charter.Observability;

/// <summary>
/// The integration's own state on Charter's meter, read when the meter is collected: <c>charter.journal.backlog</c>
/// [<c>charter_journal_backlog_bytes</c>], the journal bytes the request records, audit log and detection do not have
/// yet (it stays near one interval's worth while the integrator keeps up, and grows when it falls behind or a database
/// is down), and <c>charter.journal.integrated</c> [<c>charter_journal_integrated_total</c>], events integrated.
/// </summary>
public sealed class PipelineMetrics : IDisposable
{
    private readonly Meter _meter = new(MetricsSink.MeterName);

    /// <summary>Creates the instruments over <paramref name="pipeline"/>.</summary>
    public PipelineMetrics(EventPipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        _meter.CreateObservableGauge("charter.journal.backlog", () => pipeline.BacklogBytes, "By", "Journal bytes not yet integrated.");
        _meter.CreateObservableCounter("charter.journal.integrated", () => pipeline.Integrated, "{event}", "Journal events integrated.");
    }

    /// <inheritdoc/>
    public void Dispose() => _meter.Dispose();
}
