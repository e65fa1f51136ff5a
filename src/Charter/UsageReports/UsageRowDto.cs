// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json.Serialization;

namespace Charter.UsageReports;

/// <summary>One usage group on the wire; grouped values are present only for the dimensions grouped by.</summary>
public sealed record UsageRowDto(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Key,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Team,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Model,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Purpose,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Day,
    long Requests,
    long PromptTokens,
    long CompletionTokens,
    decimal CostUsd,
    long CostNanos)
{
    /// <summary>Maps a row.</summary>
    public static UsageRowDto From(UsageRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(row.Key, row.Team, row.Model, row.Purpose, row.Day, row.Requests, row.PromptTokens, row.CompletionTokens, row.CostUsd, row.CostNanos);
    }
}
