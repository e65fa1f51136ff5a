// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Charter.Detection;
using Charter.Policy.Lifecycle;
using Charter.Records;
using Microsoft.Extensions.Logging;

namespace Charter.Policy;

/// <summary>Applies detection findings to the lifecycle: flag (audit only), move to under_review, or suspend with a remediation measure.</summary>
/// <remarks>Every finding is journaled (kind <c>finding</c>, actor <c>detection</c>) and so becomes an audit leaf; review and
/// suspension go through <see cref="LifecycleCoordinator"/>, which journals the transition too. With
/// <c>Detection:Enforce=false</c> findings are recorded and nothing is suspended.</remarks>
public sealed partial class FindingLifecycleActions(LifecycleCoordinator lifecycle, Journal journal, TimeProvider time, DetectionEnforcement enforcement,
    ILogger<FindingLifecycleActions> logger) : IFindingActionHandler
{
    /// <inheritdoc/>
    public async Task ApplyAsync(FindingRecord finding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(finding);
        await journal.AppendAsync(new JournalEvent
        {
            Kind = "finding",
            Id = finding.Id,
            Ts = time.GetUtcNow(),
            Actor = "detection",
            EntityType = finding.SubjectKind,
            EntityId = finding.SubjectId,
            Team = finding.Team,
            Reason = $"harvesting risk {finding.Risk:0.00} ({string.Join(", ", finding.TopSignals)}); action {finding.Action}",
            Detail = JsonSerializer.Serialize(finding.SampleRequestIds.Take(10).ToArray(), FindingJson.Default.StringArray),
        }).ConfigureAwait(false);

        if (!enforcement.Enforce || finding.Action is not ("review" or "suspend"))
        {
            return;
        }

        var kind = finding.SubjectKind == "team" ? EntityKind.Team : EntityKind.Key;
        var reason = $"detection finding {finding.Id}: harvesting risk {finding.Risk:0.00} ({string.Join(", ", finding.TopSignals)})";
        var command = finding.Action == "suspend"
            ? LifecycleCommand.Suspend("detection", reason, [finding.Measure ?? DetectionActionOptions.DefaultMeasure], time.GetUtcNow().AddDays(enforcement.SuspendDeadlineDays))
            : LifecycleCommand.Review("detection", reason);
        var result = await lifecycle.ApplyAsync(kind, finding.SubjectId, command, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            Log.NotApplied(logger, finding.SubjectKind, finding.SubjectId, finding.Action, result.Error?.Message ?? "");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Detection action {Action} on {Kind} {Id} not applied: {Why}")]
        public static partial void NotApplied(ILogger logger, string kind, string id, string action, string why);
    }
}
